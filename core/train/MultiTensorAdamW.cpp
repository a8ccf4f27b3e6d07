#include "core/train/MultiTensorAdamW_p.h"

#include "core/runtime/WideVectors_p.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace redifine {

namespace {

// On the CPU the foreach kernels are loops of single-tensor kernels: an AdamW step over a LoRA network's
// adapters is some 2,000 dispatches and parallel regions, and each walks the memory again. These tensors can
// be updated in one pass instead, split over the threads by element.
bool fusableOnCpu(const std::vector<std::vector<at::Tensor>> &lists)
{
    for (const auto &list : lists) {
        if (list.size() != lists[0].size())
            return false;
        for (size_t i = 0; i < list.size(); ++i) {
            const at::Tensor &t = list[i];
            if (!t.device().is_cpu() || t.scalar_type() != at::kFloat || !t.is_contiguous() || t.numel() != lists[0][i].numel())
                return false;
        }
    }
    return true;
}

struct AdamWFactors
{
    float decay, beta1, beta2, keep1, keep2, root2, eps, stepSize;
};

// torch.optim.AdamW's arithmetic in float, element by element, in its order: decoupled weight decay, the two
// moments, then p + stepSize * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
REDIFINE_WIDE_VECTOR_CLONES
void adamwElements(float *__restrict p, const float *__restrict g, float *__restrict m, float *__restrict v, int64_t n,
                   const AdamWFactors f)
{
    for (int64_t k = 0; k < n; ++k) {
        const float decayed = p[k] * f.decay;
        const float mk = m[k] * f.beta1 + f.keep1 * g[k];
        const float vk = v[k] * f.beta2 + f.keep2 * g[k] * g[k];
        m[k] = mk;
        v[k] = vk;
        p[k] = decayed + f.stepSize * mk / (std::sqrt(vk) / f.root2 + f.eps);
    }
}

REDIFINE_WIDE_VECTOR_CLONES
void scaleElements(float *__restrict g, int64_t n, float c)
{
    for (int64_t k = 0; k < n; ++k)
        g[k] *= c;
}

// In double with four running sums (one would wait on each addition's latency).
double sumOfSquares(const float *g, int64_t n)
{
    double s[4] = {0.0, 0.0, 0.0, 0.0};
    int64_t k = 0;
    for (; k + 4 <= n; k += 4)
        for (int j = 0; j < 4; ++j)
            s[j] += double(g[k + j]) * double(g[k + j]);
    for (; k < n; ++k)
        s[0] += double(g[k]) * double(g[k]);
    return (s[0] + s[1]) + (s[2] + s[3]);
}

// Calls `body(tensor, first, end)` for element ranges of the tensors laid end to end, in parallel.
template <typename Body>
void forEachElementRange(const std::vector<at::Tensor> &tensors, const Body &body)
{
    std::vector<int64_t> starts{0};
    for (const at::Tensor &t : tensors)
        starts.push_back(starts.back() + t.numel());
    at::parallel_for(0, starts.back(), 16384, [&](int64_t begin, int64_t end) {
        size_t i = size_t(std::upper_bound(starts.begin(), starts.end(), begin) - starts.begin()) - 1;
        for (int64_t at = begin; at < end; ++i) {
            const int64_t stop = std::min(end, starts[i + 1]);
            if (stop > at)
                body(i, at - starts[i], stop - starts[i]);
            at = stop;
        }
    });
}

} // namespace

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
    if (fusableOnCpu({params, grads, avg, avgSq})) {
        const AdamWFactors f{float(1.0 - lr * m_weightDecay), float(m_beta1), float(m_beta2), float(1.0 - m_beta1),
                             float(1.0 - m_beta2), float(std::sqrt(correction2)), float(m_eps), float(-lr / correction1)};
        forEachElementRange(params, [&](size_t i, int64_t first, int64_t end) {
            adamwElements(params[i].data_ptr<float>() + first, grads[i].data_ptr<float>() + first,
                          avg[i].data_ptr<float>() + first, avgSq[i].data_ptr<float>() + first, end - first, f);
        });
        return;
    }
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
    double total = 0.0;
    const bool fused = fusableOnCpu({grads});
    if (fused) {
        // A sum of squares per tensor in double, added in tensor order: the same total whatever the threads.
        std::vector<double> sums(grads.size(), 0.0);
        at::parallel_for(0, int64_t(grads.size()), 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                sums[size_t(i)] = sumOfSquares(grads[size_t(i)].data_ptr<float>(), grads[size_t(i)].numel());
        });
        for (const double s : sums)
            total += s;
        total = std::sqrt(total);
    } else {
        total = at::stack(at::_foreach_norm(grads, 2)).norm().item<double>();
    }
    const double coefficient = maxNorm / (total + 1e-6);
    if (coefficient < 1.0) {
        if (fused) {
            const float c = float(coefficient);
            forEachElementRange(grads, [&](size_t i, int64_t first, int64_t end) {
                scaleElements(grads[i].data_ptr<float>() + first, end - first, c);
            });
        } else {
            at::_foreach_mul_(grads, coefficient);
        }
    }
    return total;
}

} // namespace redifine
