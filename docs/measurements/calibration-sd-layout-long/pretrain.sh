#!/bin/bash
# Issue 17: M_1'' = M_1' (calibration-sd-layout/pretrain.sh: cross-attention at 16x16 and 8x8 as in Stable
# Diffusion, M_0''s autoencoder, no animal images, every emoji's words, seed 0) pretrained for 18,000 steps
# instead of 6,000: M_1' was a much weaker base model than M_0' after the same steps. Only --steps and the output
# folder differ. Started in session 10 (2-core dev machine, about 0.45 s a step: 2.3 hours in all).
# Resumable: run again after a stop and it continues from its last checkpoint (every 200 steps).
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/pretrain-no-animals
OUT=/work/pretrain-sd-layout-long
resume() { [ -f "$1" ] && echo --resume || true; }
$R pretrain --data $W/emoji-no-animals --vocabulary $W/emoji-all --out $OUT --steps 18000 \
  --unet-attention high --autoencoder $W/pretrain/autoencoder.safetensors $(resume $OUT/state.json)
