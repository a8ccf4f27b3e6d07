#pragma once
// Core-internal: silu(group_norm(x)), the opening of every ResNet block and the UNet's output. ATen runs it as
// two operators (four passes over the activation forward, more backward, and a saved intermediate); on the
// CPU in float32 it is one operator here: statistics, then normalise-and-activate in one pass; backward
// recomputes the activation instead of saving it. Elsewhere (CUDA, other types) it is ATen's two operators.

#include <torch/nn/modules/normalization.h>

namespace redifine {

at::Tensor groupNormSilu(const at::Tensor &x, torch::nn::GroupNorm &norm);

} // namespace redifine
