#!/bin/bash
# Issue 17: M_2, a base model on the better autoencoder M_A (../autoencoder-variants/pretrain.sh). As M_0'
# (the shipped layout, 6,000 steps, seed 0, every emoji's words as vocabulary, animals never seen) but on M_A, used
# as it is, and on the same 4-pictures-per-emoji data M_A was trained on, so the UNet also learns backgrounds.
# Resumable: run again after a stop and it continues from its last checkpoint (every 200 steps).
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/ae2
resume() { [ -f "$1" ] && echo --resume || true; }
$R pretrain --data $W/emoji-no-animals-v4 --vocabulary /work/pretrain-no-animals/emoji-all --out $W/base \
  --autoencoder $W/autoencoder/autoencoder.safetensors --steps 6000 $(resume $W/base/state.json)
