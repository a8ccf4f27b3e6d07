#include "core/train/MultiTensorAdamW_p.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <cmath>
#include <map>

namespace redifine {

MultiTensorAdamW::MultiTensorAdamW(std::vector<Group> groups, double weightDecay, double beta1, double beta2, double eps)
    : m_groups(std::move(groups))
    , m_weightDecay(weightDecay)
    , m_beta1(beta1)
    , m_beta2(beta2)
    , m_eps(eps)
{
    for (const Group &g : m_groups) {
        std::vector<at::Tensor> avg, avgSq;
        for (const at::Tensor &p : g.params) {
            avg.push_back(at::zeros_like(p, at::MemoryFormat::Preserve));
            avgSq.push_back(at::zeros_like(p, at::MemoryFormat::Preserve));
        }
        m_steps.emplace_back(g.params.size(), 0);
        m_expAvg.push_back(std::move(avg));
        m_expAvgSq.push_back(std::move(avgSq));
    }
}

void MultiTensorAdamW::zeroGrad()
{
    for (Group &g : m_groups)
        for (at::Tensor &p : g.params)
            p.mutable_grad() = at::Tensor();
}

void MultiTensorAdamW::step()
{
    at::NoGradGuard noGrad;
    for (size_t i = 0; i < m_groups.size(); ++i) {
        // Like torch's, a tensor's step count advances only when it has a gradient; tensors on the same step
        // (in a LoRA finetune: all of them) share one set of multi-tensor kernels.
        std::map<int64_t, std::vector<size_t>> byStep;
        for (size_t j = 0; j < m_groups[i].params.size(); ++j)
            if (m_groups[i].params[j].grad().defined())
                byStep[++m_steps[i][j]].push_back(j);
        for (const auto &[step, indices] : byStep)
            update(i, indices, step);
    }
}

void MultiTensorAdamW::update(size_t group, const std::vector<size_t> &indices, int64_t step)
{
    std::vector<at::Tensor> params, grads, avg, avgSq;
    for (const size_t j : indices) {
        params.push_back(m_groups[group].params[j]);
        grads.push_back(params.back().grad());
        avg.push_back(m_expAvg[group][j]);
        avgSq.push_back(m_expAvgSq[group][j]);
    }
    const double lr = m_groups[group].lr;
    const double correction1 = 1.0 - std::pow(m_beta1, double(step));
    const double correction2 = 1.0 - std::pow(m_beta2, double(step));
    // torch.optim.AdamW: decoupled weight decay, then the moments, then the bias-corrected update.
    at::_foreach_mul_(params, 1.0 - lr * m_weightDecay);
    at::_foreach_mul_(avg, m_beta1);
    at::_foreach_add_(avg, grads, 1.0 - m_beta1);
    at::_foreach_mul_(avgSq, m_beta2);
    at::_foreach_addcmul_(avgSq, grads, grads, 1.0 - m_beta2);
    std::vector<at::Tensor> denom = at::_foreach_sqrt(avgSq);
    at::_foreach_div_(denom, std::sqrt(correction2));
    at::_foreach_add_(denom, m_eps);
    at::_foreach_addcdiv_(params, avg, denom, -lr / correction1);
}

std::vector<at::Tensor> gradientsOf(const std::vector<at::Tensor> &params)
{
    std::vector<at::Tensor> grads;
    for (const at::Tensor &p : params)
        if (p.grad().defined())
            grads.push_back(p.grad());
    return grads;
}

bool unscaleGradients(const std::vector<at::Tensor> &grads, double scale)
{
    if (grads.empty())
        return true;
    at::NoGradGuard noGrad;
    if (grads.front().is_cuda()) {   // GradScaler's own kernel: unscale and check in one pass
        at::Tensor foundInf = at::zeros({1}, grads.front().options().dtype(at::kFloat));
        const at::Tensor inverse = at::full({1}, 1.0 / scale, grads.front().options().dtype(at::kFloat));
        at::_amp_foreach_non_finite_check_and_unscale_(grads, foundInf, inverse);
        return foundInf.item<float>() == 0.0f;
    }
    at::_foreach_div_(grads, scale);
    std::vector<at::Tensor> finite;
    for (const at::Tensor &g : grads)
        finite.push_back(at::isfinite(g).all());
    return at::stack(finite).all().item<bool>();
}

double clipGradientNorm(const std::vector<at::Tensor> &grads, double maxNorm)
{
    if (grads.empty())
        return 0.0;
    at::NoGradGuard noGrad;
    const double total = at::stack(at::_foreach_norm(grads, 2)).norm().item<double>();
    const double coefficient = maxNorm / (total + 1e-6);
    if (coefficient < 1.0)
        at::_foreach_mul_(grads, coefficient);
    return total;
}

} // namespace redifine
