#!/bin/bash
# Issue 17, M_4 (M_3 with a UNet twice as wide, 12,000 steps; pretrain.sh) or, with the argument 6k, M_4s (the same
# width at M_2's 6,000 steps; pretrain.sh with STEPS=6000 OUT=/work/wide/base6k): M_2's and M_3's measurement
# unchanged (iteration 1 of both candidates, the base model on each D_0's captions, the other groups, the floors,
# M_A's round trip of both D_0), then the criteria table, the per-chain metrics into results/ (results6k/) and the
# README's grid (seed 0; needs python3-pil). Resumable: every step skips what exists.
set -euo pipefail
D=/work/main/docs/measurements
HERE=$D/calibration-wide-unet
if [ "${1:-}" = 6k ]; then
  PLAN=$HERE/plan6k.json NAME=wideunet6k W=/work/calib11 BASE=/work/wide/base6k RESULTS=$HERE/results6k
  GRID=/work/main/docs/calibration-wide-unet6k-iter1.png MODEL=M_4s
else
  PLAN=$HERE/plan.json NAME=wideunet W=/work/calib10 BASE=/work/wide/base RESULTS=$HERE/results
  GRID=/work/main/docs/calibration-wide-unet-iter1.png MODEL=M_4
fi
bash $D/calibration-autoencoder-variants/measure.sh $PLAN $NAME $W $BASE/tiny-base.safetensors
mkdir -p $RESULTS
/usr/bin/python3 $D/calibration-variants/criteria.py $W $NAME plain96:plain96 variants12x8:variants12x8 \
  > $RESULTS/criteria.md
cp $W/study/study.json $RESULTS/
for f in $W/sweep/$NAME-*; do cp $f/iter_1/metrics.json $RESULTS/$(basename $f)-iter1-metrics.json; done
for f in $W/{plain96,variants12x8}-s{0,1,2}.json $W/{floor,other,roundtrip}-{plain96,variants12x8}.json; do
  cp $f $RESULTS/
done
S=$W/sweep/$NAME
/usr/bin/python3 $D/calibration-variants/grid.py $GRID \
  "D_0|12 x 8=${S}-variants12x8-seed0/iter_0/images" \
  "$MODEL alone=$W/variants12x8-s0" \
  "iteration 1=${S}-variants12x8-seed0/iter_1/images" \
  "D_0|96 plain=${S}-plain96-seed0/iter_0/images" \
  "$MODEL alone=$W/plain96-s0" \
  "iteration 1=${S}-plain96-seed0/iter_1/images"
