#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it into a scratch root (dpkg -x, no installation) and runs the
# installed CLI from there: it must start, and find its shipped data under the scratch root's share/.
set -euo pipefail
build_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$build_dir"
cpack -G DEB -B "$scratch/package" > "$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/package/*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Depends | tr ',' '\n' | sed 's/^ */  depends: /'
dpkg -x "$deb" "$scratch/root"
for f in usr/bin/redifine usr/bin/redifine-studio usr/share/redifine-studio/models/tiny-base.safetensors \
         usr/share/redifine-studio/models/tiny-clip.safetensors usr/share/redifine-studio/presets/redifine-quick.json \
         usr/share/applications/studio.redifine.Studio.desktop usr/share/metainfo/studio.redifine.Studio.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/redifine-studio.svg usr/share/icons/hicolor/48x48/apps/redifine-studio.png; do
  test -e "$scratch/root/$f" || { echo "missing from the package: $f"; exit 1; }
done
version=$("$scratch/root/usr/bin/redifine" --version)
echo "$version"
echo "$version" | grep -q "^Data: $scratch/root/usr/share/redifine-studio$" || { echo "the installed CLI did not use its own data"; exit 1; }
presets=$("$scratch/root/usr/bin/redifine" chain --presets)
echo "$presets" | grep -q "^redifine-quick " || { echo "the installed CLI lists no presets"; exit 1; }
if command -v appstreamcli > /dev/null; then
  appstreamcli validate --no-net "$scratch/root/usr/share/metainfo/studio.redifine.Studio.metainfo.xml"
fi
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$scratch/root/usr/share/applications/studio.redifine.Studio.desktop"
fi
echo "deb package OK"
