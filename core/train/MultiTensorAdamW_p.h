#pragma once
// Core-internal: AdamW over many small tensors (a LoRA network's 500-odd adapter matrices) with multi-tensor
// kernels. The arithmetic is torch.optim.AdamW's; LibTorch's C++ AdamW runs it as about eight kernels per
// tensor, some 4,000 launches per step, which cost a fifth of an SD1.5 LoRA step on an H100 (the GPU waits on
// the launches). Python's AdamW avoids that the same way (foreach kernels). On the CPU the foreach kernels are
// themselves loops of single-tensor kernels, so float32 CPU tensors take one fused pass instead (the update, and
// clipping's norm and scaling). Also the gradient steps around it:
// unscaling after fp16 loss scaling and clipping by the global norm. Pretraining keeps LibTorch's AdamW: it
// updates a few large tensors on the CPU, where launches cost nothing, and its resumable checkpoints hold that
// optimizer's serialised state.

#include <ATen/core/Tensor.h>

#include <vector>

namespace redifine {

class MultiTensorAdamW
{
public:
    struct Group
    {
        std::vector<at::Tensor> params;
        double lr;
    };
    MultiTensorAdamW(std::vector<Group> groups, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);

    // Drops the gradients (the next backward allocates them), as zero_grad(set_to_none=True).
    void zeroGrad();
    // One AdamW step on the parameters that have gradients.
    void step();

private:
    void update(size_t group, const std::vector<size_t> &indices, int64_t step);

    std::vector<Group> m_groups;
    std::vector<std::vector<int64_t>> m_steps;   // per tensor, as torch counts them
    std::vector<std::vector<at::Tensor>> m_expAvg, m_expAvgSq;
    double m_weightDecay, m_beta1, m_beta2, m_eps;
};

// The defined gradients of `params`.
std::vector<at::Tensor> gradientsOf(const std::vector<at::Tensor> &params);

// Divides the gradients by `scale` and says whether all of them are finite (one wait for the device).
bool unscaleGradients(const std::vector<at::Tensor> &grads, double scale);

// torch.nn.utils.clip_grad_norm_: scales the gradients so that their global 2-norm is at most `maxNorm`;
// returns the norm before clipping.
double clipGradientNorm(const std::vector<at::Tensor> &grads, double maxNorm);

} // namespace redifine
