#!/usr/bin/env bash
# lupdate over the current sources must find nothing new and leave no string unfinished in a shipped language.
set -euo pipefail
source_dir=$1
lupdate=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$source_dir"
for ts in translations/redifine-studio_*.ts; do
  cp "$ts" "$scratch/"
  "$lupdate" -I "$source_dir" -no-obsolete -locations none app/studio/*.cpp \
    widgets/*.cpp widgets/*.h widgets/plots/*.cpp widgets/plots/*.h -ts "$scratch/$(basename "$ts")" > "$scratch/lupdate.log" 2>&1
  unfinished=$(grep -c 'type="unfinished"' "$scratch/$(basename "$ts")" || true)
  echo "$(basename "$ts"): $unfinished unfinished"
  if [ "$unfinished" != 0 ]; then
    grep -B2 'type="unfinished"' "$scratch/$(basename "$ts")" | grep '<source>' | head
    exit 1
  fi
done
