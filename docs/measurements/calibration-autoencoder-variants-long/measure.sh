#!/bin/bash
# Issue 17, M_3 (M_2 pretrained twice as long): M_2's measurement unchanged (iteration 1 of both candidates, M_3
# on each D_0's captions, the other groups, the floors, M_A's round trip of both D_0), then the criteria table.
# Resumable: every step skips what exists.
set -euo pipefail
R=/work/main/build/release/app/redifine
D=/work/main/docs/measurements
W=/work/calib8
M=/work/ae3/base/tiny-base.safetensors
bash $D/calibration-sd-layout/measure.sh $D/calibration-autoencoder-variants-long/plan.json autoencodervariantslong $W $M
for data in plain96 variants12x8; do
  D0=$W/sweep/autoencodervariantslong-$data-seed0/iter_0/images
  [ -d $W/roundtrip-$data ] || $R autoencode --model $M --images $D0 --out $W/roundtrip-$data > $W/roundtrip-$data.txt
  [ -f $W/roundtrip-$data.json ] || $R metrics run --reference $D0 --images $W/roundtrip-$data --json > $W/roundtrip-$data.json
done
/usr/bin/python3 $D/calibration-variants/criteria.py $W autoencodervariantslong plain96:plain96 variants12x8:variants12x8
