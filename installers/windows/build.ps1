# Windows: PyInstaller one-folder build, then the Inno Setup installer, in dist\.
# Needs Python 3.11+, Node (for the web client) and Inno Setup 6 (iscc on PATH).
# Optional signing: $env:PARLEY_SIGN_PFX (path to a .pfx) and $env:PARLEY_SIGN_PASSWORD.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

python -m venv .venv
.venv\Scripts\python -m pip install -q --upgrade pip
.venv\Scripts\python -m pip install -q -e ".[desktop,dev]"
if (-not (Test-Path tornado_app\ui\index.html)) {
  Push-Location react-ui; npm ci --no-audit --no-fund; npm run build; Pop-Location
}
$version = (.venv\Scripts\python -c "import tornado_app; print(tornado_app.__version__)").Trim()

.venv\Scripts\python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installers\parley.spec

$iscc = @("/DVersion=$version")
if ($env:PARLEY_SIGN_PFX) {
  $sign = "signtool sign /f `"$env:PARLEY_SIGN_PFX`" /p `"$env:PARLEY_SIGN_PASSWORD`" /fd sha256 /tr http://timestamp.digicert.com /td sha256"
  & signtool sign /f $env:PARLEY_SIGN_PFX /p $env:PARLEY_SIGN_PASSWORD /fd sha256 dist\parley-desktop\parley-desktop.exe
  $iscc += @("/DSignToolName=parley", "/Sparley=$sign `$f")
}
iscc @iscc installers\windows\parley.iss
Get-ChildItem dist\Parley-*-setup.exe
