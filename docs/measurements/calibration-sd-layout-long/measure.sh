#!/bin/bash
# Issue 17, the Stable Diffusion layout pretrained longer (M_1''): the same measurement as M_1''s
# (calibration-sd-layout/measure.sh: iteration 1 of both candidates, the base model on each D_0's captions, the
# other groups, the floors), with this folder's plan and M_1'''s model. Resumable.
set -euo pipefail
D=/work/main/docs/measurements
exec bash $D/calibration-sd-layout/measure.sh $D/calibration-sd-layout-long/plan.json sdlayoutlong /work/calib5 \
  /work/pretrain-sd-layout-long/tiny-base.safetensors
# Then: /usr/bin/python3 docs/measurements/calibration-variants/criteria.py /work/calib5 sdlayoutlong plain96:plain96 variants12x8:variants12x8
