#!/bin/bash
# Issue 17: a better autoencoder, M_A. The held-out base model M_0''s autoencoder (1,000 steps on plain emoji of
# every group but animals-nature) trained further on the kind of picture the worlds use: every emoji of those
# groups drawn 4 times (plain, then moved onto light coloured backgrounds). Animals stay unseen, so both worlds'
# D_0 measure how the autoencoder generalises. --steps 0: no UNet here; the base model is a second run on M_A.
# Resumable: run again after a stop and it continues from its last checkpoint (every 200 steps).
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/ae2
[ -f $W/emoji-no-animals-v4/metadata.jsonl ] || $R dataset emoji --out $W/emoji-no-animals-v4 --variants 4 \
  --group food-drink --group symbols --group flags --group people-body --group smileys-emotion \
  --group activities --group travel-places --group objects
resume() { [ -f "$1" ] && echo --resume || true; }
$R pretrain --data $W/emoji-no-animals-v4 --vocabulary /work/pretrain-no-animals/emoji-all --out $W/autoencoder \
  --autoencoder /work/pretrain-no-animals/pretrain/autoencoder.safetensors --vae-steps ${VAE_STEPS:-5000} --steps 0 \
  $(resume $W/autoencoder/state.json)
