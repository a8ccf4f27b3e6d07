#!/bin/bash
# Issue 17, a diagnostic after the criteria were measured (it chooses nothing): is it the finetuned model or
# the sampling at CFG 7.5 that keeps iteration 1 from looking like D_0? The seed-0 iteration-1 adapters of one
# candidate, and M_3 alone, generate each D_0's captions at constant CFG 1, 2.5, 4 and 7.5 (seed 0); tiny-clip FD
# to D_0 of each. Usage: diagnose-cfg.sh CANDIDATE [WORK_DIR]   (CANDIDATE: paper, fullrank or paperfullrank)
set -euo pipefail
R=/work/main/build/release/app/redifine
CAND=$1
W=${2:-/work/calib9}
M=/work/ae3/base/tiny-base.safetensors
OUT=$W/diagnose-cfg
mkdir -p $OUT
printf '| D_0 | model | CFG 1 | CFG 2.5 | CFG 4 | CFG 7.5 |\n|---|---|---|---|---|---|\n'
for data in plain96 variants12x8; do
  chain=$W/sweep/finetunereach-$data-$CAND-seed0
  D0=$chain/iter_0/images
  prompts=$OUT/prompts-$data.txt
  [ -f $prompts ] || for f in $(ls $D0/*.txt | sort); do head -1 $f; echo; done | grep -v '^$' > $prompts
  for model in base $CAND; do
    lora=(); [ $model = base ] || lora=(--lora $chain/iter_1/lora.safetensors)
    row="| $data | $model |"
    for cfg in 1 2.5 4 7.5; do
      dir=$OUT/$data-$model-cfg$cfg
      [ -d $dir ] || $R generate --model $M "${lora[@]}" --out $dir --prompts $prompts --cfg $cfg --seed 0 > /dev/null
      [ -f $dir.json ] || $R metrics run --reference $D0 --images $dir --json > $dir.json
      row="$row $(python3 -c "import json, sys; print(f\"{json.load(open(sys.argv[1]))['metrics']['fd']:.2f}\")" $dir.json) |"
    done
    echo "$row"
  done
done
