#!/usr/bin/env bash
# Builds core against the LibTorch with CUDA found on a GPU machine and runs cuda_check.cpp.
# Usage: tests/device/run.sh QT_DIR GEN_DIR   (QtCore headers and libraries, and the generated Version.h)
set -euo pipefail
QT=$1; GEN=$2
TORCH=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT" /tmp/devobj
FLAGS="-std=c++17 -O2 -fPIC -DQT_NO_KEYWORDS -DREDIFINE_HAVE_CUDA=1 -D_GLIBCXX_USE_CXX11_ABI=1 -I. -I$GEN -I$QT/include -I$QT/include/QtCore -I$QT/include/mkspecs/linux-g++ -isystem $TORCH/include -isystem $TORCH/include/torch/csrc/api/include -I/usr/local/cuda/include"
SOURCES="$(ls core/common/*.cpp core/diffusion/*.cpp core/io/*.cpp core/models/*.cpp core/train/*.cpp core/bench/*.cpp core/runtime/*.cpp) tests/device/cuda_check.cpp"
echo "$SOURCES" | tr ' ' '\n' | xargs -P 16 -I{} sh -c 'g++ '"$FLAGS"' -c {} -o /tmp/devobj/$(echo {} | tr / _).o' 2>&1 | { grep -E "error|warning: .*deprecated" || true; } | head -20
g++ /tmp/devobj/*.o -o /tmp/cuda_check -L"$TORCH/lib" -Wl,--no-as-needed -ltorch -ltorch_cuda -ltorch_cpu -lc10_cuda -lc10 -Wl,--as-needed \
  -L"$QT/lib" -lQt6Core -ldl -lpthread -Wl,-rpath,"$TORCH/lib:$(realpath $QT/lib)"
# Qt's own dependencies (ICU, glib) are found through LD_LIBRARY_PATH: an RPATH reaches direct ones only.
LD_LIBRARY_PATH="$(realpath $QT/lib)" /tmp/cuda_check tests/data/golden | tee "$OUT/cuda_check.json"
