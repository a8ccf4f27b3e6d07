#!/bin/bash
# Issue 17, the variants world: the sweep (iteration 1 of four candidates), then each base model generating D_0's
# captions, the other group drawn the same way, and the floors. One job at a time (two OpenMP teams on two cores
# crawl). Resumable: every step skips what exists.
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/calib3
HELDOUT=/work/pretrain-no-animals/pretrain/tiny-base.safetensors
mkdir -p $W
$R sweep /work/main/docs/measurements/calibration-variants/plan.json --out $W/sweep
D0=$W/sweep/variants-shipped-steps300-seed0/iter_0/images
[ -f $W/prompts.txt ] || for f in $(ls $D0/*.txt | sort); do head -1 $f; echo; done | grep -v '^$' > $W/prompts.txt
for base in shipped heldout; do
  model=(); [ $base = heldout ] && model=(--model $HELDOUT)
  for s in 0 1 2; do
    [ -d $W/$base-s$s ] || $R generate "${model[@]}" --out $W/$base-s$s --prompts $W/prompts.txt --cfg 7.5 --seed $s > /dev/null
    [ -f $W/$base-s$s.json ] || $R metrics run --reference $D0 --images $W/$base-s$s --prompts $W/prompts.txt --json > $W/$base-s$s.json
  done
  [ -f $W/floor-$base.json ] || $R metrics run --reference $W/$base-s0 --images $W/$base-s1 --json > $W/floor-$base.json
done
[ -d $W/other ] || $R dataset emoji --out $W/other --group food-drink --limit 96 --variants 8 > /dev/null
[ -f $W/other.json ] || $R metrics run --reference $D0 --images $W/other/1_food-drink --json > $W/other.json
$R study $W/sweep --out $W/study > $W/study.txt
echo calibration-done
