#!/usr/bin/env bash
# The README's run command: set up, build, then start the studio where a display exists and the
# command-line demo otherwise. Extra arguments go to the program started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/build.sh --target redifine redifine-studio
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/release/app/redifine-studio "$@"
fi
echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): running the command-line demo, redifine demo."
exec build/release/app/redifine demo "$@"
