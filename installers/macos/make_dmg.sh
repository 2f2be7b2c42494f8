#!/usr/bin/env bash
# make_dmg.sh APP DMG: a compressed disk image with the app and a link to /Applications.
set -euo pipefail
app=$1 dmg=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname Parley -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
