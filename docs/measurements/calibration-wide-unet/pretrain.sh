#!/bin/bash
# Issue 17: M_4, M_3 with a UNet twice as wide (--unet-width 2: channels 64/128/256), 12,000 steps on the committed
# M_A used as it is, the same four-pictures-per-emoji data of every group but animals-nature, every emoji's words.
# About 0.67 s a step on the 2-core dev machine (M_3: 0.32), 2.2 hours: longer than what is left of a session once
# the build is done, so it checkpoints every 200 steps and continues from the last one when run again.
set -euo pipefail
R=/work/main/build/release/app/redifine
M_A=/work/main/docs/measurements/autoencoder-variants/M_A-autoencoder.safetensors
W=${W:-/work/wide}
# M_4s (session 15): STEPS=6000 OUT=/work/wide/base6k, M_2's length, because 12,000 steps did not fit a session.
STEPS=${STEPS:-12000}
OUT=${OUT:-$W/base}
mkdir -p $W
groups="--group food-drink --group symbols --group flags --group people-body --group smileys-emotion \
  --group activities --group travel-places --group objects"
[ -f $W/emoji-no-animals-v4/metadata.jsonl ] || $R dataset emoji --out $W/emoji-no-animals-v4 --variants 4 $groups
[ -f $W/emoji-all/metadata.jsonl ] || $R dataset emoji --out $W/emoji-all
resume=; [ -f $OUT/state.json ] && resume=--resume
$R pretrain --data $W/emoji-no-animals-v4 --vocabulary $W/emoji-all --out $OUT --autoencoder $M_A \
  --unet-width 2 --steps $STEPS $resume
