#!/bin/bash
# Issue 17, M_2 on the better autoencoder M_A: the same measurement as M_1''s (../calibration-sd-layout/measure.sh:
# iteration 1 of both candidates, the base model on each D_0's captions, the other groups, the floors), then M_A's
# own round trip of both D_0 (its criterion) and the criteria table. Resumable.
set -euo pipefail
R=/work/main/build/release/app/redifine
D=/work/main/docs/measurements
W=/work/calib7
M=/work/ae2/base/tiny-base.safetensors
bash $D/calibration-sd-layout/measure.sh $D/calibration-autoencoder-variants/plan.json autoencodervariants $W $M
for data in plain96 variants12x8; do
  D0=$W/sweep/autoencodervariants-$data-seed0/iter_0/images
  [ -d $W/roundtrip-$data ] || $R autoencode --model $M --images $D0 --out $W/roundtrip-$data > $W/roundtrip-$data.txt
  [ -f $W/roundtrip-$data.json ] || $R metrics run --reference $D0 --images $W/roundtrip-$data --json > $W/roundtrip-$data.json
done
/usr/bin/python3 $D/calibration-variants/criteria.py $W autoencodervariants plain96:plain96 variants12x8:variants12x8
