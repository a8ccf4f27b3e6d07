#!/usr/bin/env bash
# Remakes the shipped weights from scratch, resumably: renders all emoji, pretrains the tiny base model and
# tiny-clip, and copies both into resources/models/. About 2 hours on a 2-core CPU; run it again after an
# interruption and it continues. Usage: make-base-models.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$(realpath "$1")
work=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
redifine="$build/app/redifine"
mkdir -p "$work"
[ -f "$work/emoji-all/metadata.jsonl" ] || "$redifine" dataset emoji --out "$work/emoji-all"
resume() { [ -f "$1" ] && echo --resume || true; }
[ -f "$work/pretrain/tiny-base.safetensors" ] ||
  "$redifine" pretrain --data "$work/emoji-all" --out "$work/pretrain" --steps 6000 $(resume "$work/pretrain/state.json")
[ -f "$work/clip/tiny-clip.safetensors" ] ||
  "$redifine" pretrain-clip --data "$work/emoji-all" --out "$work/clip" --steps 3000 $(resume "$work/clip/clip-state.json")
cp "$work/pretrain/tiny-base.safetensors" "$work/clip/tiny-clip.safetensors" "$root/resources/models/"
echo "resources/models/ updated"
