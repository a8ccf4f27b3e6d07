#!/bin/bash
# Issue 17, M_4s (M_2 with a UNet twice as wide, 6,000 steps; pretrain.sh with STEPS=6000 OUT=/work/wide/base6k):
# M_2's and M_3's measurement unchanged, then the criteria table. Resumable: every step skips what exists.
set -euo pipefail
D=/work/main/docs/measurements
bash $D/calibration-autoencoder-variants/measure.sh $D/calibration-wide-unet/plan6k.json wideunet6k /work/calib11 \
  /work/wide/base6k/tiny-base.safetensors
