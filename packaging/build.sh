#!/usr/bin/env bash
# Shared set-up of the README's two commands: Debian packages, configure and build with the release preset.
# Usage: packaging/build.sh [cmake --build arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" "$@"
