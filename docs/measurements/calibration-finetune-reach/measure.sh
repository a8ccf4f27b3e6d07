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
M=/work/ae3/base/tiny-base.safetensors   # M_3, as calibration-autoencoder-variants-long/pretrain.sh leaves it
# (a remake is close to, not identical with, the measured file; that file is committed beside pretrain.sh)
[ -f $M ] || { mkdir -p $(dirname $M); cp $D/calibration-autoencoder-variants-long/M_3-tiny-base.safetensors $M; }
echo "21b30a0e55c9df47c417bc478f9f39c2914585c7b06b1d602df839f45bcaa568  $M" | sha256sum --check --quiet
mkdir -p $W
$R sweep $HERE/plan.json --out $W/sweep
# D_0 by its pixels and captions (d0hash.py): chain.json's dataset_hash hashes the PNG files, whose metadata names
# the chain, so it differs between chains drawn from the same data.
declare -A D0_HASH=([plain96]=5f42ea84ec8be151cd542c5b278481fb724506d10d1218b00570e646f32b25d1
                    [variants12x8]=bff3421b044f2283640ab8bba2ceda7e211fab6dcbb0bdbdf4f397015322996c)
for data in plain96 variants12x8; do
  for chain in $W/sweep/finetunereach-$data-*; do
    hash=$(/usr/bin/python3 $HERE/d0hash.py $chain)
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
