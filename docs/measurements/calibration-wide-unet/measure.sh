#!/bin/bash
# Issue 17, M_4 (M_3 with a UNet twice as wide): M_2's and M_3's measurement unchanged (iteration 1 of both
# candidates, M_4 on each D_0's captions, the other groups, the floors, M_A's round trip of both D_0), then the
# criteria table. Resumable: every step skips what exists.
set -euo pipefail
D=/work/main/docs/measurements
bash $D/calibration-autoencoder-variants/measure.sh $D/calibration-wide-unet/plan.json wideunet /work/calib10 \
  /work/wide/base/tiny-base.safetensors
