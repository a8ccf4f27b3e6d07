#!/bin/bash
# Issue 17: the autoencoder's floor under every FD_1. Each calibration world's D_0 goes through the base
# model's autoencoder and back (`redifine autoencode`: encoded to its latent mean, decoded), and the round trip's
# FD to D_0 is measured as every FD_1 was (`metrics run`, tiny-clip). A finetune that reproduced D_0's latents
# exactly would still draw these images. The D_0 folders are the calibration sweeps' own iteration 0.
set -euo pipefail
R=/work/main/build/release/app/redifine
HELDOUT=/work/pretrain-no-animals/pretrain/tiny-base.safetensors
W=/work/ae
OUT=$(dirname "$0")
mkdir -p $W
[ -d $W/noto48 ] || $R dataset emoji --out $W/noto48 --group animals-nature --limit 48 > /dev/null
declare -A D0=([noto48]=$W/noto48/1_animals-nature
               [plain96]=/work/calib4/sweep/sdlayout-plain96-seed0/iter_0/images
               [variants]=/work/calib6/sweep/locon-shipped-seed0/iter_0/images)
for world in noto48 plain96 variants; do
  for base in shipped heldout; do
    [ $world = noto48 ] && [ $base = heldout ] && continue   # the quick world was measured on the shipped model only
    model=(); [ $base = heldout ] && model=(--model $HELDOUT)
    [ -d $W/$world-$base ] || $R autoencode "${model[@]}" --images ${D0[$world]} --out $W/$world-$base | tee $OUT/$world-$base.txt
    $R metrics run --reference ${D0[$world]} --images $W/$world-$base --json > $OUT/$world-$base.json
  done
done
/usr/bin/python3 /work/main/docs/measurements/calibration-variants/grid.py /work/main/docs/autoencoder-floor.png \
  "D_0 (12 x 8)=${D0[variants]}" "autoencoder|M_0 (shipped)=$W/variants-shipped" \
  "D_0 (96 plain)=${D0[plain96]}" "autoencoder|M_0 (shipped)=$W/plain96-shipped"
for f in $OUT/*.json; do /usr/bin/python3 -c "import json,sys; print(sys.argv[1], round(json.load(open(sys.argv[1]))['metrics']['fd'], 2))" $f; done
