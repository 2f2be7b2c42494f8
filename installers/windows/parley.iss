; Inno Setup script for Parley (Windows). Built by installers/windows/build.ps1 after PyInstaller:
;   iscc /DVersion=0.1.0 installers\windows\parley.iss
; Installs per user (no admin prompt) into %LOCALAPPDATA%\Programs\Parley.
#ifndef Version
  #define Version "0.0.0"
#endif
#define Root "..\.."

[Setup]
AppId={{6B0F5C1E-7E0A-4D33-9C55-2F0E5D8A9B11}
AppName=Parley
AppVersion={#Version}
AppPublisher=Parley
DefaultDirName={autopf}\Parley
DefaultGroupName=Parley
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#Root}\dist
OutputBaseFilename=Parley-{#Version}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\parley-desktop.exe
#if FileExists(AddBackslash(SourcePath) + "parley.ico")
SetupIconFile=parley.ico
#endif
; Code signing hook: when build.ps1 is given a certificate it defines SignTool "parley".
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif

[Files]
Source: "{#Root}\dist\parley-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Parley"; Filename: "{app}\parley-desktop.exe"
Name: "{autodesktop}\Parley"; Filename: "{app}\parley-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\parley-desktop.exe"; Description: "Start Parley"; Flags: nowait postinstall skipifsilent
