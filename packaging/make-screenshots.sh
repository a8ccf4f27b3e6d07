#!/usr/bin/env bash
# Renders the README's screenshots into docs/: the studio on finished quick runs (ReDiFine and constant CFG 7.5),
# the comparison of the two, their image grids, the CFG schedule editor, the German window, and from a small
# sweep (CFG 1.5, CFG 7.5 and ReDiFine, two seeds each) the fingerprint grid and the seed-aggregated reusability.
# Chains are made first if the runs folder lacks them (about 20 minutes on 2 cores). Windows are drawn by a real
# X server (Xvfb) as users see them; offscreen only where Xvfb is missing. Usage: make-screenshots.sh BUILD_DIR
set -euo pipefail
if [ -z "${DISPLAY:-}" ] && [ -z "${REDIFINE_UNDER_XVFB:-}" ] && command -v xvfb-run > /dev/null; then
  REDIFINE_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" bash "$0" "$@"
fi
[ -n "${DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
build=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
runs="$build/screenshot-runs"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
for preset in redifine-quick cfg-7.5-quick; do
  [ -f "$runs/$preset/iter_3/DONE" ] || "$build/app/redifine" chain --preset "$preset" --out "$runs/$preset"
done
studio="$build/app/redifine-studio"
"$studio" --language en --runs "$runs" --select redifine-quick --plot 0 --screenshot "$root/docs/studio-main-window.png"
"$studio" --language en --runs "$runs" --select redifine-quick,cfg-7.5-quick --plot 4 --screenshot "$root/docs/studio-comparison.png"
"$studio" --language en --screenshot-editor "$root/docs/studio-cfg-schedule-editor.png"
"$studio" --language de --runs "$runs" --select redifine-quick --plot 3 --screenshot "$root/docs/studio-german.png"
for preset in redifine-quick cfg-7.5-quick; do
  "$studio" --runs "$runs" --select "$preset" --export-grid "$root/docs/chain-$preset-grid.png"
done
"$build/app/redifine" sweep "$root/packaging/screenshot-sweep.json" --out "$runs/sweep"   # skips complete chains
"$studio" --language en --runs "$runs/sweep" --plot 5 --screenshot "$root/docs/studio-fingerprint-grid.png" \
  --select screenshot-sweep-cfg1.5-seed0,screenshot-sweep-cfg7.5-seed0,screenshot-sweep-redifine-seed0
all=$(printf 'screenshot-sweep-%s,' cfg1.5-seed0 cfg1.5-seed1 cfg7.5-seed0 cfg7.5-seed1 redifine-seed0 redifine-seed1)
"$studio" --language en --runs "$runs/sweep" --plot 1 --screenshot "$root/docs/studio-seed-reusability.png" --select "${all%,}"
echo "screenshots written to $root/docs"
