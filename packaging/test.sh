#!/usr/bin/env bash
# The README's test command: set up, build everything, run the whole suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/build.sh
ctest --preset release -j2
