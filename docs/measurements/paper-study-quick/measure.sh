#!/bin/sh
# The paper study at quick size, as measured for the README (2-core dev machine, OPENBLAS_CORETYPE=SkylakeX).
# The sweep resumes where it stopped when run again (complete chains are skipped).
set -e
SWEEP=${1:-sweeps/paper}
redifine sweep paper-study-quick --out "$SWEEP"                                  # seeds 0-2
redifine sweep "$(dirname "$0")/plan-4-seeds.json" --out "$SWEEP"               # adds seed 3
mkdir -p "$SWEEP/study"
redifine study "$SWEEP" --out "$SWEEP/study" --metric sharpness --metric high_frequency_ratio --metric latent_std \
    --metric saturation --metric diffnorm_last > "$SWEEP/study/study-summary.txt"
python3 "$(dirname "$0")/findings.py" "$SWEEP/study/study.json"      # the README's tables
python3 "$(dirname "$0")/grid.py" "$SWEEP" paper-study-quick-seed0.png   # the README's image grid
