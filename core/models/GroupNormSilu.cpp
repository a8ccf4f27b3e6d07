#include "core/models/GroupNormSilu_p.h"

#include "core/models/VectorMath_p.h"
#include "core/runtime/WideVectors_p.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace redifine {

namespace {

constexpr int64_t kLanes = 16;   // independent partial sums: the loops vectorise and do not wait on one sum

// Mean and 1/sqrt(variance + eps) of `d` values, as GroupNorm takes them (biased variance), in two passes.
void moments(const float *x, int64_t d, double eps, float &mean, float &rstd)
{
    float partial[kLanes] = {};
    int64_t k = 0;
    for (; k + kLanes <= d; k += kLanes)
        for (int64_t j = 0; j < kLanes; ++j)
            partial[j] += x[k + j];
    double sum = 0.0;
    for (; k < d; ++k)
        sum += x[k];
    for (const float p : partial)
        sum += p;
    const float m = float(sum / double(d));
    float squares[kLanes] = {};
    for (k = 0; k + kLanes <= d; k += kLanes)
        for (int64_t j = 0; j < kLanes; ++j)
            squares[j] += (x[k + j] - m) * (x[k + j] - m);
    double squared = 0.0;
    for (; k < d; ++k)
        squared += double(x[k] - m) * double(x[k] - m);
    for (const float s : squares)
        squared += s;
    mean = m;
    rstd = float(1.0 / std::sqrt(squared / double(d) + eps));
}

// The loops below each cover one (sample, group) slice, `channels` rows of `plane` values with per-row
// coefficients: one call per slice, not per row (a 4x4 plane is a single AVX-512 vector).

// y = silu(a_c x + b_c).
REDIFINE_WIDE_VECTOR_CLONES
void normaliseAndActivate(const float *__restrict x, float *__restrict y, int64_t channels, int64_t plane,
                          const float *__restrict a, const float *__restrict b)
{
    for (int64_t c = 0; c < channels; ++c) {
        const float ac = a[c], bc = b[c];
        const float *__restrict xc = x + c * plane;
        float *__restrict yc = y + c * plane;
        for (int64_t k = 0; k < plane; ++k) {
            const float z = xc[k] * ac + bc;
            yc[k] = z * vectorSigmoid(z);
        }
    }
}

// dz = dy silu'(z) with z = a_c x + b_c, silu'(z) = s (1 + z (1 - s)) and s = sigmoid(z); per row, sum(dz) and
// sum(dz (x - mean)) (centred first: no cancellation when the mean is large).
REDIFINE_WIDE_VECTOR_CLONES
void activationGradient(const float *__restrict x, const float *__restrict dy, float *__restrict dz, int64_t channels,
                        int64_t plane, const float *__restrict a, const float *__restrict b, float mean,
                        double *__restrict sumDz, double *__restrict sumDzCentred)
{
    for (int64_t c = 0; c < channels; ++c) {
        const float ac = a[c], bc = b[c];
        const int64_t offset = c * plane;
        for (int64_t k = offset; k < offset + plane; ++k) {
            const float z = x[k] * ac + bc;
            const float s = vectorSigmoid(z);
            dz[k] = dy[k] * s * (1.0f + z * (1.0f - s));
        }
        float lanesDz[kLanes] = {}, lanesCentred[kLanes] = {};
        int64_t k = offset;
        for (; k + kLanes <= offset + plane; k += kLanes)
            for (int64_t j = 0; j < kLanes; ++j) {
                lanesDz[j] += dz[k + j];
                lanesCentred[j] += dz[k + j] * (x[k + j] - mean);
            }
        double s1 = 0.0, s2 = 0.0;
        for (; k < offset + plane; ++k) {
            s1 += dz[k];
            s2 += double(dz[k]) * double(x[k] - mean);
        }
        float f1 = 0.0f, f2 = 0.0f;
        for (int64_t j = 0; j < kLanes; ++j) {
            f1 += lanesDz[j];
            f2 += lanesCentred[j];
        }
        sumDz[c] = s1 + f1;
        sumDzCentred[c] = s2 + f2;
    }
}

// dx = p_c dz + q x + r.
REDIFINE_WIDE_VECTOR_CLONES
void inputGradient(const float *__restrict dz, const float *__restrict x, float *__restrict dx, int64_t channels,
                   int64_t plane, const float *__restrict p, float q, float r)
{
    for (int64_t c = 0; c < channels; ++c) {
        const float pc = p[c];
        const int64_t offset = c * plane;
        for (int64_t k = offset; k < offset + plane; ++k)
            dx[k] = pc * dz[k] + q * x[k] + r;
    }
}

// Per channel of the slice starting at channel `first` (of `channels`), a = r gamma and b = beta - m a, so that
// normalise-then-scale-and-shift is a x + b.
void sliceCoefficients(int64_t first, int64_t perGroup, int64_t channels, float m, float r, const float *gamma,
                       const float *beta, std::vector<float> &a, std::vector<float> &b)
{
    for (int64_t c = 0; c < perGroup; ++c) {
        const int64_t channel = (first + c) % channels;
        a[size_t(c)] = r * gamma[channel];
        b[size_t(c)] = beta[channel] - m * a[size_t(c)];
    }
}

// Work in chunks of whole (sample, group) slices of at least ~8k values: big enough to amortise a thread.
int64_t grainFor(int64_t groupSize)
{
    return std::max<int64_t>(1, 8192 / std::max<int64_t>(1, groupSize));
}

class GroupNormSiluFunction : public torch::autograd::Function<GroupNormSiluFunction>
{
public:
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &input, const at::Tensor &gamma,
                              const at::Tensor &beta, int64_t groups, double eps)
    {
        const at::Tensor x = input.contiguous();
        const int64_t batch = x.size(0), channels = x.size(1), plane = x.size(2) * x.size(3);
        const int64_t perGroup = channels / groups;
        at::Tensor y = at::empty_like(x);
        at::Tensor mean = at::empty({batch * groups}, x.options()), rstd = at::empty({batch * groups}, x.options());
        const float *xp = x.data_ptr<float>(), *gp = gamma.data_ptr<float>(), *bp = beta.data_ptr<float>();
        float *yp = y.data_ptr<float>(), *mp = mean.data_ptr<float>(), *rp = rstd.data_ptr<float>();
        at::parallel_for(0, batch * groups, grainFor(perGroup * plane), [&](int64_t begin, int64_t end) {
            std::vector<float> a(static_cast<size_t>(perGroup)), b(static_cast<size_t>(perGroup));
            for (int64_t ng = begin; ng < end; ++ng) {
                const int64_t first = (ng / groups) * channels + (ng % groups) * perGroup;   // the slice's first channel
                moments(xp + first * plane, perGroup * plane, eps, mp[ng], rp[ng]);
                sliceCoefficients(first, perGroup, channels, mp[ng], rp[ng], gp, bp, a, b);
                normaliseAndActivate(xp + first * plane, yp + first * plane, perGroup, plane, a.data(), b.data());
            }
        });
        ctx->save_for_backward({x, gamma, beta, mean, rstd});
        ctx->saved_data["groups"] = groups;
        return y;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx, torch::autograd::tensor_list gradients)
    {
        const auto saved = ctx->get_saved_variables();
        const at::Tensor &x = saved[0], &gamma = saved[1], &beta = saved[2], &mean = saved[3], &rstd = saved[4];
        const int64_t groups = ctx->saved_data["groups"].toInt();
        const at::Tensor dy = gradients[0].contiguous();
        const int64_t batch = x.size(0), channels = x.size(1), plane = x.size(2) * x.size(3);
        const int64_t perGroup = channels / groups, groupSize = perGroup * plane;
        const bool wantInput = ctx->needs_input_grad(0), wantAffine = ctx->needs_input_grad(1) || ctx->needs_input_grad(2);
        at::Tensor dx = wantInput ? at::empty_like(x) : at::Tensor();
        // Per (sample, channel): sum(dz) and sum(dz xhat), for the affine gradients (summed over samples below).
        std::vector<double> channelDz(size_t(batch * channels)), channelDzXhat(size_t(batch * channels));
        const float *xp = x.data_ptr<float>(), *dyp = dy.data_ptr<float>(), *gp = gamma.data_ptr<float>(),
                    *bp = beta.data_ptr<float>(), *mp = mean.data_ptr<float>(), *rp = rstd.data_ptr<float>();
        float *dxp = wantInput ? dx.data_ptr<float>() : nullptr;
        at::parallel_for(0, batch * groups, grainFor(groupSize), [&](int64_t begin, int64_t end) {
            std::vector<float> dz(static_cast<size_t>(groupSize)), a(static_cast<size_t>(perGroup)), b(static_cast<size_t>(perGroup));
            std::vector<double> sumDz(static_cast<size_t>(perGroup)), sumDzCentred(static_cast<size_t>(perGroup));
            for (int64_t ng = begin; ng < end; ++ng) {
                const int64_t first = (ng / groups) * channels + (ng % groups) * perGroup;
                const float m = mp[ng], r = rp[ng];
                sliceCoefficients(first, perGroup, channels, m, r, gp, bp, a, b);
                activationGradient(xp + first * plane, dyp + first * plane, dz.data(), perGroup, plane, a.data(), b.data(), m,
                                   sumDz.data(), sumDzCentred.data());
                // GroupNorm's input gradient with xhat = (x - m) r: dx = r (g dz - mean(g dz) - xhat mean(g dz xhat)),
                // the means over the slice.
                double meanGDz = 0.0, meanGDzXhat = 0.0;
                for (int64_t c = 0; c < perGroup; ++c) {
                    const float g = gp[(first + c) % channels];
                    const double sumDzXhat = double(r) * sumDzCentred[size_t(c)];
                    channelDz[size_t(first + c)] = sumDz[size_t(c)];
                    channelDzXhat[size_t(first + c)] = sumDzXhat;
                    meanGDz += g * sumDz[size_t(c)];
                    meanGDzXhat += g * sumDzXhat;
                }
                if (!dxp)
                    continue;
                meanGDz /= double(groupSize);
                meanGDzXhat /= double(groupSize);
                // dx = (r g) dz + (-r^2 meanGDzXhat) x + (r^2 meanGDzXhat m - r meanGDz); `a` holds r g.
                const float q = float(-double(r) * r * meanGDzXhat);
                const float constant = float(double(r) * r * meanGDzXhat * m - double(r) * meanGDz);
                inputGradient(dz.data(), xp + first * plane, dxp + first * plane, perGroup, plane, a.data(), q, constant);
            }
        });
        at::Tensor dgamma, dbeta;
        if (wantAffine) {
            std::vector<double> sumGamma(size_t(channels), 0.0), sumBeta(size_t(channels), 0.0);
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t c = 0; c < channels; ++c) {
                    sumGamma[size_t(c)] += channelDzXhat[size_t(n * channels + c)];
                    sumBeta[size_t(c)] += channelDz[size_t(n * channels + c)];
                }
            dgamma = at::empty_like(gamma);
            dbeta = at::empty_like(beta);
            for (int64_t c = 0; c < channels; ++c) {
                dgamma.data_ptr<float>()[c] = float(sumGamma[size_t(c)]);
                dbeta.data_ptr<float>()[c] = float(sumBeta[size_t(c)]);
            }
        }
        return {dx, ctx->needs_input_grad(1) ? dgamma : at::Tensor(), ctx->needs_input_grad(2) ? dbeta : at::Tensor(),
                at::Tensor(), at::Tensor()};
    }
};

} // namespace

at::Tensor groupNormSilu(const at::Tensor &x, torch::nn::GroupNorm &norm)
{
    const auto &o = norm->options;
    const at::Tensor &gamma = norm->weight, &beta = norm->bias;
    const bool fusable = x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 && o.affine()
                         && gamma.scalar_type() == at::kFloat && beta.scalar_type() == at::kFloat && gamma.is_contiguous()
                         && beta.is_contiguous() && x.size(1) == o.num_channels() && x.numel() > 0;
    if (!fusable)
        return at::silu(norm->forward(x));
    return GroupNormSiluFunction::apply(x, gamma, beta, o.num_groups(), o.eps());
}

} // namespace redifine
