#!/bin/bash
# Issue 17: M_3, the shipped layout pretrained 12,000 steps on the better autoencoder M_A (M_2 had 6,000).
# A fresh machine holds nothing outside the checkout, so this remakes every input first, each with the script
# or settings that made it the first time: the emoji datasets, M_0''s autoencoder (the default 1,000 autoencoder
# steps on plain emoji of every group but animals-nature, no UNet), M_A (that autoencoder + 5,000 steps on the
# 4-pictures-per-emoji data), then M_3's UNet on M_A used as it is. Resumable: run again after a stop and each
# stage continues from its last checkpoint (every 200 steps) or is skipped when its file exists.
set -euo pipefail
R=/work/main/build/release/app/redifine
W=${W:-/work/ae3}
mkdir -p $W
resume() { [ -f "$1" ] && echo --resume || true; }
groups="--group food-drink --group symbols --group flags --group people-body --group smileys-emotion \
  --group activities --group travel-places --group objects"
[ -f $W/emoji-no-animals/metadata.jsonl ] || $R dataset emoji --out $W/emoji-no-animals $groups
[ -f $W/emoji-no-animals-v4/metadata.jsonl ] || $R dataset emoji --out $W/emoji-no-animals-v4 --variants 4 $groups
[ -f $W/emoji-all/metadata.jsonl ] || $R dataset emoji --out $W/emoji-all
[ -f $W/ae0/autoencoder.safetensors ] || $R pretrain --data $W/emoji-no-animals --vocabulary $W/emoji-all \
  --out $W/ae0 --steps 0 $(resume $W/ae0/state.json)
[ -f $W/autoencoder/autoencoder.safetensors ] || $R pretrain --data $W/emoji-no-animals-v4 \
  --vocabulary $W/emoji-all --out $W/autoencoder --autoencoder $W/ae0/autoencoder.safetensors --vae-steps 5000 \
  --steps 0 $(resume $W/autoencoder/state.json)
$R pretrain --data $W/emoji-no-animals-v4 --vocabulary $W/emoji-all --out $W/base \
  --autoencoder $W/autoencoder/autoencoder.safetensors --steps 12000 $(resume $W/base/state.json)
