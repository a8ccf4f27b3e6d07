#!/bin/bash
# Issue 17, M_3 (M_2 pretrained twice as long): M_2's measurement unchanged (iteration 1 of both candidates, M_3
# on each D_0's captions, the other groups, the floors, M_A's round trip of both D_0), then the criteria table.
# Resumable: every step skips what exists.
set -euo pipefail
D=/work/main/docs/measurements
bash $D/calibration-autoencoder-variants/measure.sh $D/calibration-autoencoder-variants-long/plan.json \
  autoencodervariantslong /work/calib8 /work/ae3/base/tiny-base.safetensors
