#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and running ReDiFine Studio needs.
# Idempotent: when everything is already installed it only checks and returns within a second or two.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # Qt 6 (Core, Gui, Widgets, Concurrent, Svg, PrintSupport, Test, LinguistTools)
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6svg6 qt6-qpa-plugins libgl-dev
  # plotting, image processing, FFT
  libqcustomplot-dev libopencv-dev libfftw3-dev
  # LibTorch (CPU) and an optimised BLAS for it at run time (the OpenMP build is the one we link; see
  # cmake/RedifineBlas.cmake)
  libtorch-dev libopenblas0-pthread libopenblas0-openmp
  # CBLAS header and link library for the CPU attention kernel (LibTorch 1.x; core/models/CpuAttention.cpp)
  libblas-dev
  # fonts for the emoji datasets, and emoji names
  fonts-noto-color-emoji fonts-symbola unicode-data
  # headless GUI runs and screenshots
  xvfb xauth x11-utils
  # checking exported reports (pdftoppm) and the AppStream metadata
  poppler-utils appstream
  # the Debian package: man pages from --help, and Debian's package checker
  help2man lintian
  # the eager PyTorch peer of `redifine bench --peer` (tests/device/peer_tiny.py), run by tst_bench_peer
  python3-torch python3-numpy
  # a throwaway single-node Slurm for the sweep test (tests/e2e/slurm-single-node.sh)
  slurm-wlm munge
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
