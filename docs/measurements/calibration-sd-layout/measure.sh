#!/bin/bash
# Issue 17, the Stable Diffusion layout (M_1'): the sweep (iteration 1 of both candidates), then M_1' generating
# each D_0's captions, each other group, and the floors. One job at a time. Resumable: every step skips what exists.
# Arguments (M_1''s by default; calibration-sd-layout-long/measure.sh passes M_1'''s): plan file, the plan's
# "name", work folder, base model.
set -euo pipefail
R=/work/main/build/release/app/redifine
PLAN=${1:-/work/main/docs/measurements/calibration-sd-layout/plan.json}
NAME=${2:-sdlayout}
W=${3:-/work/calib4}
M=${4:-/work/pretrain-sd-layout/tiny-base.safetensors}
mkdir -p $W
$R sweep $PLAN --out $W/sweep
for data in plain96 variants12x8; do
  D0=$W/sweep/$NAME-$data-seed0/iter_0/images
  [ -f $W/prompts-$data.txt ] || for f in $(ls $D0/*.txt | sort); do head -1 $f; echo; done | grep -v '^$' > $W/prompts-$data.txt
  for s in 0 1 2; do
    [ -d $W/$data-s$s ] || $R generate --model $M --out $W/$data-s$s --prompts $W/prompts-$data.txt --cfg 7.5 --seed $s > /dev/null
    [ -f $W/$data-s$s.json ] || $R metrics run --reference $D0 --images $W/$data-s$s --prompts $W/prompts-$data.txt --json > $W/$data-s$s.json
  done
  [ -f $W/floor-$data.json ] || $R metrics run --reference $W/$data-s0 --images $W/$data-s1 --json > $W/floor-$data.json
  variants=1; [ $data = variants12x8 ] && variants=8
  [ -d $W/other-$data ] || $R dataset emoji --out $W/other-$data --group food-drink --limit 96 --variants $variants > /dev/null
  [ -f $W/other-$data.json ] || $R metrics run --reference $D0 --images $W/other-$data/1_food-drink --json > $W/other-$data.json
done
$R study $W/sweep --out $W/study > $W/study.txt
echo calibration-done
