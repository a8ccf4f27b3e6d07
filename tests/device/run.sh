#!/usr/bin/env bash
# On a GPU machine (never in ctest): builds core against the LibTorch with CUDA of the machine's PyTorch, runs
# cuda_check.cpp (golden vectors on the GPU, `redifine bench --sd15 --train`'s benchmark, CPU/GPU agreement),
# after the plain-PyTorch diffusers-layout baseline (reference_sd15.py) on the same GPU.
# Usage: tests/device/run.sh QT_DIR GEN_DIR   (QtCore headers and libraries, and the generated Version.h: the
# dev machine's Debian 12 QtCore travels with the tree, packed by tests/device/pack.sh, which says how to run this)
set -euo pipefail
QT=$1; GEN=$2; GOLDEN=tests/data/golden
TORCH=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT" /tmp/devobj
FLAGS="-std=c++17 -O2 -fPIC -DQT_NO_KEYWORDS -DREDIFINE_SOURCE_RESOURCES=\\\"$PWD/resources\\\" -DREDIFINE_HAVE_CUDA=1 -D_GLIBCXX_USE_CXX11_ABI=1 -I. -I$GEN -I$QT/include -I$QT/include/QtCore -I$QT/include/mkspecs/linux-g++ -isystem $TORCH/include -isystem $TORCH/include/torch/csrc/api/include -I/usr/local/cuda/include"
# The core parts the check needs, less those that need QtGui (images) or analysis libraries; an archive, so
# that only the objects it uses are linked.
SOURCES="$(ls core/common/*.cpp core/diffusion/*.cpp core/io/*.cpp core/models/*.cpp core/train/*.cpp core/runtime/*.cpp core/bench/{Flops,LoraStepTiming,StableDiffusionBenchmark}.cpp \
           | grep -v -e ImageFiles -e RunReader -e GenerateCommand -e Pretrain -e TinyClipTraining)"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv | tee "$OUT/gpu.csv"
# The baseline first (it needs no build), on an idle machine.
export PYTHONUNBUFFERED=1
[ -n "${SKIP_REFERENCE:-}" ] || python3 tests/device/reference_sd15.py check $GOLDEN | tee "$OUT/reference_check.json" || echo "reference check failed"
[ -n "${SKIP_REFERENCE:-}" ] || python3 tests/device/reference_sd15.py bench | tee "$OUT/reference_bench.json" || echo "reference bench failed"
start=$(date +%s)
echo "$SOURCES tests/device/cuda_check.cpp" | tr ' ' '\n' | xargs -P 16 -I{} sh -c 'g++ '"$FLAGS"' -c {} -o /tmp/devobj/$(echo {} | tr / _).o 2>/tmp/devobj/$(echo {} | tr / _).log || echo "FAILED {}"'
echo "compiled in $(( $(date +%s) - start )) s"
for f in /tmp/devobj/*.log; do grep -m3 "error" "$f" || true; done | head -20
ar rcs /tmp/libcore.a /tmp/devobj/core_*.o
g++ /tmp/devobj/tests_device_cuda_check.cpp.o /tmp/libcore.a -o /tmp/cuda_check -L"$TORCH/lib" -Wl,--no-as-needed -ltorch -ltorch_cuda -ltorch_cpu -lc10_cuda -lc10 -Wl,--as-needed \
  -L"$QT/lib" -lQt6Core -ldl -lpthread -Wl,-rpath,"$TORCH/lib:$(realpath $QT/lib)"
# The golden tiny SD1.5-architecture model as a diffusers folder.
D=/tmp/sd15-tiny; mkdir -p $D/unet $D/vae $D/text_encoder $D/tokenizer
cp $GOLDEN/unet_config.json $D/unet/config.json; cp $GOLDEN/unet_diffusers.safetensors $D/unet/diffusion_pytorch_model.safetensors
cp $GOLDEN/vae_config.json $D/vae/config.json; cp $GOLDEN/vae_diffusers.safetensors $D/vae/diffusion_pytorch_model.safetensors
cp $GOLDEN/clip_text_config.json $D/text_encoder/config.json; cp $GOLDEN/clip_text_transformers.safetensors $D/text_encoder/model.safetensors
cp $GOLDEN/tokenizer_vocab.json $D/tokenizer/vocab.json; cp $GOLDEN/tokenizer_merges.txt $D/tokenizer/merges.txt
# Qt's own dependencies (ICU, glib) are found through LD_LIBRARY_PATH: an RPATH reaches direct ones only.
REDIFINE_DATA_DIR=$PWD/resources LD_LIBRARY_PATH="$(realpath $QT/lib)" /tmp/cuda_check $GOLDEN $D | tee "$OUT/cuda_check.jsonl" || echo "cuda_check failed: $?"
