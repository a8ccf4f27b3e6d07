#pragma once
// Core-internal: bf16 matrix products on the CPU. Inside a CpuBf16Scope, the UNet's and the text encoder's
// linear layers and convolutions multiply in bf16 (oneDNN's kernels, fp32 accumulation) and hand back fp32;
// norms, softmax, attention, residual sums, losses and the optimiser stay fp32, as in bf16 mixed-precision
// training. Why: on CPUs with AVX-512 BF16 (AMD Zen 4, Intel Cooper Lake and later) a bf16 matrix multiply
// ran 4.8x the fp32 OpenBLAS rate and a linear layer's forward and backward 6.6x faster on the 2-core dev
// machine (README, Performance). A no-op for tensors that are not fp32 CPU tensors (CUDA has its fp16 autocast).

#include <ATen/ATen.h>
#include <torch/nn/modules/conv.h>

namespace redifine {

// Sets bf16 products on or off for this thread until it is destroyed (scopes nest).
class CpuBf16Scope
{
public:
    explicit CpuBf16Scope(bool enabled);
    ~CpuBf16Scope();
    CpuBf16Scope(const CpuBf16Scope &) = delete;
    CpuBf16Scope &operator=(const CpuBf16Scope &) = delete;

private:
    bool m_previous;
};

// Products smaller than this many multiply-adds stay float32: their bf16 casts (three tensors in, one out, and
// again in the backward pass) cost more in dispatch, allocation and memory traffic than the faster multiply
// saves. Chosen on the 2-core dev machine from a chain finetune at batch 6, whose step is overhead-bound, and the
// benchmark's batch 32 (README, Performance); the golden models' and the micro model's layers are all below it.
inline constexpr double kDefaultBf16MinimumMultiplyAdds = double(1 << 24);

// Sets that minimum for this thread until destroyed (tests use 0 to put every product through bf16).
class CpuBf16MinimumScope
{
public:
    explicit CpuBf16MinimumScope(double minimumMultiplyAdds);
    ~CpuBf16MinimumScope();
    CpuBf16MinimumScope(const CpuBf16MinimumScope &) = delete;
    CpuBf16MinimumScope &operator=(const CpuBf16MinimumScope &) = delete;

private:
    double m_previous;
};

// x W^T + b, and a convolution with a torch::nn::Conv2d module's options, in bf16 when a scope is on, x is an
// fp32 CPU tensor and the product reaches the minimum; otherwise exactly at::linear / at::conv2d. The
// convolution takes its weight apart from the module's (a LoRA merged in, or a LoCon down of the same kernel)
// and the module's bias only when asked.
at::Tensor linearProduct(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias);
at::Tensor convolution(const torch::nn::Conv2dImpl &conv, const at::Tensor &x, const at::Tensor &weight, bool withBias = true);
inline at::Tensor convolution(torch::nn::Conv2d &conv, const at::Tensor &x)
{
    return convolution(*conv, x, conv->weight);
}
// at::conv2d(x, weight, bias) (stride 1, no padding: the 1x1 convolutions of adapter-ready layers), likewise.
at::Tensor pointwiseConvolution(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias);

} // namespace redifine
