#pragma once
// Core-internal: diffusers' GEGLU gate, a * gelu(b) for the two halves [a, b] of the feed-forward projection's
// last dimension (exact GELU, the erf form). ATen runs it as a split, a copy, GELU and a product, and its
// backward concatenates the halves' gradients along the last dimension, which LibTorch 1.x does row by row
// (1-3 ms for a block's 4 MB gradient at batch 32 on a 2-core machine). On float32 CPU tensors it is one
// operator here, forward and backward one pass each; elsewhere (CUDA, other types) ATen's operators.

#include <ATen/core/Tensor.h>

namespace redifine {

at::Tensor geglu(const at::Tensor &projection);

} // namespace redifine
