#!/bin/bash
# Issue 17: M_A's criterion (README). Both 96-image worlds' D_0 through M_A and back (`redifine autoencode`, the
# latent mean decoded), the round trip's FD to D_0 as every FD_1 was measured (`metrics run`, tiny-clip), the PSNR,
# and a grid beside the old autoencoder's round trip (../autoencoder-floor/measure.sh made those). Deterministic.
set -euo pipefail
R=/work/main/build/release/app/redifine
MA=/work/ae2/autoencoder/tiny-base.safetensors   # --steps 0: M_A with an untrained UNet, used here for its autoencoder
W=/work/ae2
OUT=$(dirname "$0")
declare -A D0=([plain96]=/work/calib4/sweep/sdlayout-plain96-seed0/iter_0/images
               [variants]=/work/calib6/sweep/locon-shipped-seed0/iter_0/images)
for world in plain96 variants; do
  [ -d $W/roundtrip-$world ] || $R autoencode --model $MA --images ${D0[$world]} --out $W/roundtrip-$world | tee $OUT/$world.txt
  $R metrics run --reference ${D0[$world]} --images $W/roundtrip-$world --json > $OUT/$world.json
done
/usr/bin/python3 /work/main/docs/measurements/calibration-variants/grid.py /work/main/docs/autoencoder-variants.png \
  "D_0 (12 x 8)=${D0[variants]}" "old (M_0')=/work/ae/variants-heldout" "M_A=$W/roundtrip-variants" \
  "D_0 (96 plain)=${D0[plain96]}" "old (M_0')=/work/ae/plain96-heldout" "M_A=$W/roundtrip-plain96"
for f in $OUT/*.json; do /usr/bin/python3 -c "import json,sys; print(sys.argv[1], round(json.load(open(sys.argv[1]))['metrics']['fd'], 2))" $f; done
