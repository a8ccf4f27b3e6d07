#!/bin/bash
# Issue 17, M_2 on the better autoencoder M_A: the same measurement as M_1''s (../calibration-sd-layout/measure.sh:
# iteration 1 of both candidates, the base model on each D_0's captions, the other groups, the floors), then M_A's
# own round trip of both D_0 (its criterion) and the criteria table. Resumable.
# Arguments (M_2's by default; calibration-autoencoder-variants-long/measure.sh passes M_3's): plan file, the
# plan's "name", work folder, base model.
set -euo pipefail
R=/work/main/build/release/app/redifine
D=/work/main/docs/measurements
PLAN=${1:-$D/calibration-autoencoder-variants/plan.json}
NAME=${2:-autoencodervariants}
W=${3:-/work/calib7}
M=${4:-/work/ae2/base/tiny-base.safetensors}
bash $D/calibration-sd-layout/measure.sh $PLAN $NAME $W $M
for data in plain96 variants12x8; do
  D0=$W/sweep/$NAME-$data-seed0/iter_0/images
  [ -d $W/roundtrip-$data ] || $R autoencode --model $M --images $D0 --out $W/roundtrip-$data > $W/roundtrip-$data.txt
  [ -f $W/roundtrip-$data.json ] || $R metrics run --reference $D0 --images $W/roundtrip-$data --json > $W/roundtrip-$data.json
done
/usr/bin/python3 $D/calibration-variants/criteria.py $W $NAME plain96:plain96 variants12x8:variants12x8
