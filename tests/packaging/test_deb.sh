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
         usr/share/redifine-studio/bench/peer_tiny.py usr/share/redifine-studio/bench/reference_sd15.py \
         usr/share/applications/studio.redifine.Studio.desktop usr/share/metainfo/studio.redifine.Studio.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/redifine-studio.svg usr/share/icons/hicolor/48x48/apps/redifine-studio.png \
         usr/share/doc/redifine-studio/copyright usr/share/doc/redifine-studio/changelog.Debian.gz \
         usr/share/man/man1/redifine.1.gz usr/share/man/man1/redifine-studio.1.gz usr/share/lintian/overrides/redifine-studio; do
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
# The man pages are the programs' --help.
zcat "$scratch/root/usr/share/man/man1/redifine.1.gz" | grep -q "pretrain" || { echo "redifine.1 lacks the commands of --help"; exit 1; }
zcat "$scratch/root/usr/share/man/man1/redifine-studio.1.gz" | grep -q "report" || { echo "redifine-studio.1 lacks the options of --help"; exit 1; }
# The copyright file is machine-readable (DEP-5) and covers the shipped weights and tokenizer files.
copyright="$scratch/root/usr/share/doc/redifine-studio/copyright"
head -1 "$copyright" | grep -q "^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" || { echo "copyright is not DEP-5"; exit 1; }
for f in resources/models/tiny-base.safetensors resources/tokenizers/clip-vit-large-patch14/vocab.json; do
  grep -q "$f" "$copyright" || { echo "copyright does not cover $f"; exit 1; }
done
# The studio opens folders given as arguments (the desktop file's %F).
grep -q "^Exec=redifine-studio %F$" "$scratch/root/usr/share/applications/studio.redifine.Studio.desktop"
QT_QPA_PLATFORM=offscreen "$scratch/root/usr/bin/redifine-studio" --help | grep -q "\[folder...\]" || { echo "redifine-studio takes no folders"; exit 1; }
# Debian's own checker: no errors (warnings and infos are shown, deliberate choices carry overrides).
if command -v lintian > /dev/null; then
  lintian --fail-on error --display-info --no-tag-display-limit "$deb" || { echo "lintian reports errors"; exit 1; }
else
  echo "lintian is not installed (packaging/install-deps.sh installs it): the package was not checked"
fi
echo "deb package OK"
