#!/usr/bin/env bash
# macOS: Parley.app (PyInstaller BUNDLE with Info.plist usage strings) and a DMG, in dist/.
# Optional signing and notarization: PARLEY_CODESIGN_IDENTITY ("Developer ID Application: ..."),
# then PARLEY_NOTARY_PROFILE (a `xcrun notarytool store-credentials` profile name).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || { python3 -m venv .venv; .venv/bin/pip install -q -e '.[desktop,dev]'; }
[ -f tornado_app/ui/index.html ] || (cd react-ui && npm ci --no-audit --no-fund && npm run build)
VERSION=$("$PY" -c 'import tornado_app; print(tornado_app.__version__)')

# The .icns from the PNG, with the tools every Mac has.
icons=build/parley.iconset; rm -rf "$icons"; mkdir -p "$icons"
for size in 16 32 128 256 512; do
  sips -z $size $size installers/linux/parley.png --out "$icons/icon_${size}x${size}.png" >/dev/null
done
iconutil -c icns "$icons" -o installers/macos/parley.icns

"$PY" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller installers/parley.spec
bash installers/macos/make_dmg.sh "dist/Parley.app" "dist/Parley-$VERSION.dmg"

if [ -n "${PARLEY_CODESIGN_IDENTITY:-}" ] && [ -n "${PARLEY_NOTARY_PROFILE:-}" ]; then
  codesign --sign "$PARLEY_CODESIGN_IDENTITY" --timestamp "dist/Parley-$VERSION.dmg"
  xcrun notarytool submit "dist/Parley-$VERSION.dmg" --keychain-profile "$PARLEY_NOTARY_PROFILE" --wait
  xcrun stapler staple "dist/Parley-$VERSION.dmg"
fi
ls -la "dist/Parley-$VERSION.dmg"
