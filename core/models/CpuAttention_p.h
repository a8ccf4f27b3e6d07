#pragma once
// Core-internal: attention for many small heads on the CPU, for LibTorch builds without a fused
// scaled_dot_product_attention (Debian's 1.13).
//
// Why: 1.13's CPU bmm splits a batch of small matrices into one dispatched select + gemm per matrix, on one
// core. The tiny family's attention is 128 heads of 64 x 16 per call; those loops took about a fifth of a
// training step. Here each (batch, head) pair is one direct BLAS call, the pairs are spread over the
// intra-op threads, and the heads are read in place from the [B, N, C] projections (no transposed copies).

#include <ATen/ATen.h>

namespace redifine {

// True when cpuAttention can take q [B, N, C] against keys of length m with `heads` heads: float32 CPU
// tensors, LibTorch without a fused attention, and the [B, heads, N, m] probabilities it keeps for the
// backward pass within about 64 M elements.
bool cpuAttentionApplies(const at::Tensor &q, int64_t m, int64_t heads);

// softmax(q_h k_h^T / sqrt(d) + mask) v_h per head, for q [B, N, C], k and v [B, M, C] (C = heads * d),
// with gradients for q, k and v. additiveMask (optional, no gradient) broadcasts to [B, heads, N, M].
at::Tensor cpuAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                        const at::Tensor &additiveMask);

} // namespace redifine
