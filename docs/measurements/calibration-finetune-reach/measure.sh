#!/bin/bash
# Issue 17, the finetune's reach on M_3: the sweep of the three candidates (plan.json), then the criteria table
# against M_3's own measurement (its samples of each D_0's captions, the food groups and the floors, committed in
# ../calibration-autoencoder-variants-long/results/), the study and the iteration-1 grid. Those files are reused,
# not remade, so the script first checks that the model file and both D_0 are the ones they were measured with.
# Resumable: the sweep skips complete chains.
set -euo pipefail
R=/work/main/build/release/app/redifine
D=/work/main/docs/measurements
HERE=$D/calibration-finetune-reach
W=${1:-/work/calib9}
M=/work/ae3/base/tiny-base.safetensors   # M_3 (calibration-autoencoder-variants-long/pretrain.sh)
echo "21b30a0e55c9df47c417bc478f9f39c2914585c7b06b1d602df839f45bcaa568  $M" | sha256sum --check --quiet
mkdir -p $W
$R sweep $HERE/plan.json --out $W/sweep
declare -A D0_HASH=([plain96]=6916638340f06bc65c445b55b04080c649be8b03fbcc99280bd9ffe4a8d0b159
                    [variants12x8]=91a202c8aedca6b7b3c8c80c6e43bdf97cf62f35a3b79181f244f0c87e884b1c)
for data in plain96 variants12x8; do
  for chain in $W/sweep/finetunereach-$data-*; do
    hash=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['dataset_hash'])" $chain/chain.json)
    [ "$hash" = "${D0_HASH[$data]}" ] || { echo "$chain: D_0 differs from M_3's measurement ($hash)" >&2; exit 1; }
  done
  for f in $data-s0 $data-s1 $data-s2 floor-$data other-$data; do
    cp $D/calibration-autoencoder-variants-long/results/$f.json $W/
  done
done
$R study $W/sweep --out $W/study > $W/study.txt
mkdir -p $HERE/results
cp $W/study/study.json $HERE/results/
for chain in $W/sweep/finetunereach-*; do
  cp $chain/iter_1/metrics.json $HERE/results/$(basename $chain)-iter1-metrics.json
  tail -1 $chain/iter_1/train_log.csv | sed "s|^|$(basename $chain) last step: |"
done
/usr/bin/python3 $D/calibration-variants/criteria.py $W finetunereach \
  plain96:plain96-paper,plain96-fullrank,plain96-paperfullrank \
  variants12x8:variants12x8-paper,variants12x8-fullrank,variants12x8-paperfullrank | tee $HERE/results/criteria.md
S=$W/sweep/finetunereach
/usr/bin/python3 $D/calibration-variants/grid.py /work/main/docs/calibration-finetune-reach-iter1.png \
  "D_0|12 x 8=${S}-variants12x8-paper-seed0/iter_0/images" \
  "M_3 alone=/work/calib8/variants12x8-s0" \
  "paper finetune=${S}-variants12x8-paper-seed0/iter_1/images" \
  "full rank=${S}-variants12x8-fullrank-seed0/iter_1/images" \
  "paper finetune|at full rank=${S}-variants12x8-paperfullrank-seed0/iter_1/images" \
  "D_0|96 plain=${S}-plain96-paper-seed0/iter_0/images" \
  "paper finetune=${S}-plain96-paper-seed0/iter_1/images" \
  "full rank=${S}-plain96-fullrank-seed0/iter_1/images" \
  "paper finetune|at full rank=${S}-plain96-paperfullrank-seed0/iter_1/images"
