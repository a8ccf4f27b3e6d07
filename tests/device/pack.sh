#!/usr/bin/env bash
# Packs what tests/device/run.sh needs from this Debian 12 machine into .devpack/devicecheck.tar.xz (about
# 12 MB: the device tool carries at most 64 MiB with the tree): QtCore's headers and library with the
# libraries it loads (ICU, glib, pcre2, double-conversion, libb2), and the generated Version.h (configure
# build/release first). Then, on the GPU machine (device tool, carry [".devpack"]):
#   tar -xJf .devpack/devicecheck.tar.xz && bash tests/device/run.sh .devicecheck/qt .devicecheck/gen
set -euo pipefail
cd "$(dirname "$0")/../.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
d=$stage/.devicecheck
lib=/usr/lib/x86_64-linux-gnu
mkdir -p "$d/qt/include/mkspecs" "$d/qt/lib" "$d/gen/core/common" .devpack
cp -r /usr/include/x86_64-linux-gnu/qt6/QtCore "$d/qt/include/"
cp -r $lib/qt6/mkspecs/linux-g++ "$d/qt/include/mkspecs/"
for f in libQt6Core.so.6 libicudata.so.72 libicui18n.so.72 libicuuc.so.72 libglib-2.0.so.0 libpcre2-8.so.0 \
         libpcre2-16.so.0 libdouble-conversion.so.3 libb2.so.1; do
    cp -L "$lib/$f" "$d/qt/lib/"
done
ln -s libQt6Core.so.6 "$d/qt/lib/libQt6Core.so"
cp build/release/core/generated/core/common/Version.h "$d/gen/core/common/"
tar -C "$stage" -cf - .devicecheck | xz -9 -T0 > .devpack/devicecheck.tar.xz
grep -qx '/.devpack/' .git/info/exclude 2>/dev/null || echo '/.devpack/' >> .git/info/exclude
ls -l .devpack/devicecheck.tar.xz
