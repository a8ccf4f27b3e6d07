#!/usr/bin/env bash
# Renders the README's screenshots into docs/ (offscreen): the studio on finished quick runs (ReDiFine and
# constant CFG 7.5), the comparison of the two, their image grids, the CFG schedule editor, and the German window. Chains are
# made first if the runs folder lacks them (about 5 minutes on 2 cores). Usage: make-screenshots.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
runs="$build/screenshot-runs"
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
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
echo "screenshots written to $root/docs"
