#!/bin/bash
# Issue 17: a tiny base model that has never seen the animals-nature group, so that group can be a D_0 the base
# model has not seen (as in the paper). The vocabulary comes from every emoji caption (--vocabulary), so animal
# words are known tokens whose images the model never saw, as a web-scale tokenizer would have them.
# Resumable: run again after a stop and it continues from its checkpoint.
set -euo pipefail
R=/work/main/build/release/app/redifine
W=/work/pretrain-no-animals
[ -f $W/emoji-no-animals/metadata.jsonl ] || $R dataset emoji --out $W/emoji-no-animals \
  --group food-drink --group symbols --group flags --group people-body --group smileys-emotion \
  --group activities --group travel-places --group objects
[ -f $W/emoji-all/metadata.jsonl ] || $R dataset emoji --out $W/emoji-all
resume() { [ -f "$1" ] && echo --resume || true; }
$R pretrain --data $W/emoji-no-animals --vocabulary $W/emoji-all --out $W/pretrain --steps 6000 $(resume $W/pretrain/state.json)
