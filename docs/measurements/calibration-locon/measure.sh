#!/bin/bash
# Issue 17, the variants world with LoCon adapters: the sweep (iteration 1 of two candidates). The base models'
# FD to D_0, the food group's and the floors are those measured for the variants world (the same D_0, drawn
# byte for byte the same from the code points), copied from ../calibration-variants/. Resumable.
set -euo pipefail
R=/work/main/build/release/app/redifine
M=/work/main/docs/measurements
W=/work/calib6
mkdir -p $W
for f in shipped-s0 shipped-s1 shipped-s2 heldout-s0 heldout-s1 heldout-s2 floor-shipped floor-heldout other; do
  cp -n $M/calibration-variants/$f.json $W/
done
$R sweep $M/calibration-locon/plan.json --out $W/sweep
# D_0 must be the variants world's own: the same files, pixel for pixel (the PNG infotext names the chain).
/usr/bin/python3 - $W/sweep/locon-shipped-seed0/iter_0/images /work/calib3/sweep/variants-shipped-steps300-seed0/iter_0/images <<'PY'
import os, sys
import numpy as np
from PIL import Image
a, b = sys.argv[1:3]
names = sorted(os.listdir(a))
assert names == sorted(os.listdir(b)), 'D_0 file lists differ'
for n in names:
    if n.endswith('.png'):
        assert np.array_equal(np.asarray(Image.open(f'{a}/{n}')), np.asarray(Image.open(f'{b}/{n}'))), f'{n} differs'
    else:
        assert open(f'{a}/{n}', 'rb').read() == open(f'{b}/{n}', 'rb').read(), f'{n} differs'
print('D_0: the variants world\'s, pixel for pixel')
PY
$R study $W/sweep --out $W/study > $W/study.txt
/usr/bin/python3 $M/calibration-variants/criteria.py $W locon shipped:shipped heldout:heldout
