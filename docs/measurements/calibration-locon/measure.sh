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
# D_0 must be the variants world's own: the same file names and bytes.
cmp <(cd $W/sweep/locon-shipped-seed0/iter_0/images && sha256sum $(ls | sort)) \
    <(cd /work/calib3/sweep/variants-shipped-steps300-seed0/iter_0/images && sha256sum $(ls | sort))
$R study $W/sweep --out $W/study > $W/study.txt
/usr/bin/python3 $M/calibration-variants/criteria.py $W locon shipped:shipped heldout:heldout
