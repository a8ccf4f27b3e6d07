#!/bin/bash
# Issue 17, the held-out world: the sweep (iteration 1), then the base model M_0', the other group and the floor.
# One job at a time (two OpenMP teams on two cores crawl). Resumable: every step skips what exists.
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/calib2
M=/work/pretrain-no-animals/pretrain/tiny-base.safetensors
$R sweep $W/plan.json --out $W/sweep
D0=$W/sweep/heldout-steps300-seed0/iter_0/images
[ -f $W/prompts.txt ] || for f in $(ls $D0/*.txt | sort); do head -1 $f; echo; done | grep -v '^$' > $W/prompts.txt
for s in 0 1 2; do
  [ -d $W/base-s$s ] || $R generate --model $M --out $W/base-s$s --prompts $W/prompts.txt --cfg 7.5 --seed $s > /dev/null
  [ -f $W/base-s$s.json ] || $R metrics run --reference $D0 --images $W/base-s$s --prompts $W/prompts.txt --json > $W/base-s$s.json
done
[ -d $W/other ] || $R dataset emoji --out $W/other --group food-drink --limit 96 > /dev/null
[ -f $W/other.json ] || $R metrics run --reference $D0 --images $W/other/1_food-drink --json > $W/other.json
[ -f $W/floor.json ] || $R metrics run --reference $W/base-s0 --images $W/base-s1 --json > $W/floor.json
$R study $W/sweep --out $W/study > $W/study.txt
echo calibration-done
