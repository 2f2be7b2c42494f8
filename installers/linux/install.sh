#!/usr/bin/env bash
# Installs this Parley folder for the current user: ~/.local/share/parley-desktop, a menu entry and
# an icon. Run it from the unpacked tarball. `install.sh --uninstall` removes them again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
target=$data/parley-desktop
if [ "${1:-}" = --uninstall ]; then
  rm -rf "$target" "$data/applications/parley.desktop" "$data/icons/hicolor/256x256/apps/parley.png"
  echo "Parley removed"; exit 0
fi
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps"
if [ "$here" != "$target" ]; then rm -rf "$target"; cp -a "$here" "$target"; fi
sed "s|^Exec=.*|Exec=$target/parley-desktop %u|" "$here/parley.desktop" > "$data/applications/parley.desktop"
cp "$here/parley.png" "$data/icons/hicolor/256x256/apps/parley.png"
echo "Parley installed in $target; it is in your applications menu."
