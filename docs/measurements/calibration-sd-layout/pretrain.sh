#!/bin/bash
# Issue 17: a held-out base model M_1' that differs from M_0' (calibration-heldout/pretrain.sh) in one thing, the
# UNet's layout: cross-attention at the two highest latent resolutions (16x16, 8x8), as Stable Diffusion places
# it, instead of the shipped model's two lowest (8x8, 4x4). LoRA adapts only the attention blocks, so in the
# shipped layout a finetune never reaches the 16x16 grid. Same data, vocabulary, steps, seed and M_0''s own
# autoencoder (--autoencoder), so the UNet layout is the only difference.
# Resumable: run again after a stop and it continues from its checkpoint.
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/pretrain-no-animals
resume() { [ -f "$1" ] && echo --resume || true; }
$R pretrain --data $W/emoji-no-animals --vocabulary $W/emoji-all --out /work/pretrain-sd-layout --steps 6000 \
  --unet-attention high --autoencoder $W/pretrain/autoencoder.safetensors $(resume /work/pretrain-sd-layout/state.json)
