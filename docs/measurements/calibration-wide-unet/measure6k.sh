#!/bin/bash
# Issue 17, M_4s (M_2 with a UNet twice as wide, 6,000 steps; pretrain.sh with STEPS=6000 OUT=/work/wide/base6k):
# M_2's and M_3's measurement unchanged, then the criteria table, the per-chain metrics into results6k/ and the
# README's grid (seed 0; needs python3-pil). Resumable: every step skips what exists.
set -euo pipefail
D=/work/main/docs/measurements
HERE=$D/calibration-wide-unet
W=/work/calib11
bash $D/calibration-autoencoder-variants/measure.sh $HERE/plan6k.json wideunet6k $W \
  /work/wide/base6k/tiny-base.safetensors
mkdir -p $HERE/results6k
/usr/bin/python3 $D/calibration-variants/criteria.py $W wideunet6k plain96:plain96 variants12x8:variants12x8 \
  > $HERE/results6k/criteria.md
cp $W/study/study.json $HERE/results6k/
for f in $W/sweep/wideunet6k-*; do cp $f/iter_1/metrics.json $HERE/results6k/$(basename $f)-iter1-metrics.json; done
for f in $W/{plain96,variants12x8}-s{0,1,2}.json $W/{floor,other,roundtrip}-{plain96,variants12x8}.json; do
  cp $f $HERE/results6k/
done
S=$W/sweep/wideunet6k
/usr/bin/python3 $D/calibration-variants/grid.py /work/main/docs/calibration-wide-unet6k-iter1.png \
  "D_0|12 x 8=${S}-variants12x8-seed0/iter_0/images" \
  "M_4s alone=$W/variants12x8-s0" \
  "iteration 1=${S}-variants12x8-seed0/iter_1/images" \
  "D_0|96 plain=${S}-plain96-seed0/iter_0/images" \
  "M_4s alone=$W/plain96-s0" \
  "iteration 1=${S}-plain96-seed0/iter_1/images"
