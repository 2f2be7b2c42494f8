#!/usr/bin/env bash
# Linux: the one-folder PyInstaller bundle, a tarball with a launcher entry, and an AppImage when
# appimagetool is on PATH. Outputs in dist/. Run from anywhere; `make package` runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
VERSION=$("$PY" -c 'import tornado_app; print(tornado_app.__version__)')
ARCH=$(uname -m)
OUT=dist/parley-desktop

"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  installers/parley.spec
install -m 644 installers/linux/parley.desktop installers/linux/parley.png "$OUT/"
install -m 755 installers/linux/install.sh "$OUT/"

if [ "${PARLEY_TARBALL:-1}" = 1 ]; then
  tar -C dist -cf - parley-desktop | gzip -1 > "dist/parley-desktop-$VERSION-linux-$ARCH.tar.gz"
  echo "dist/parley-desktop-$VERSION-linux-$ARCH.tar.gz"
fi

if command -v appimagetool >/dev/null 2>&1; then
  appdir=build/Parley.AppDir
  rm -rf "$appdir" && mkdir -p "$appdir/usr/lib"
  cp -a "$OUT" "$appdir/usr/lib/"
  ln -s usr/lib/parley-desktop/parley-desktop "$appdir/AppRun"
  sed 's|^Exec=.*|Exec=parley-desktop %u|' installers/linux/parley.desktop > "$appdir/parley.desktop"
  cp installers/linux/parley.png "$appdir/parley.png"
  ARCH=$ARCH appimagetool "$appdir" "dist/Parley-$VERSION-$ARCH.AppImage"
fi
du -sh "$OUT"
