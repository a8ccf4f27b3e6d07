#include "core/models/CpuAttention_p.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/version.h>

#include <cmath>
#include <stdexcept>

#if TORCH_VERSION_MAJOR < 2
#include <cblas.h>
#endif

namespace redifine {

#if TORCH_VERSION_MAJOR < 2

namespace {

// Where head h of batch b starts in a [B, L, C] tensor, and its row stride.
struct HeadView
{
    float *data;
    int64_t length;
    int64_t channels;
    int64_t headDim;
    float *at(int64_t b, int64_t h) const { return data + b * length * channels + h * headDim; }
};

HeadView headView(const at::Tensor &t, int64_t heads)
{
    return {t.data_ptr<float>(), t.size(1), t.size(2), t.size(2) / heads};
}

void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float *a, int64_t lda,
          const float *b, int64_t ldb, float *c, int64_t ldc)
{
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, int(m), int(n),
                int(k), alpha, a, int(lda), b, int(ldb), 0.0f, c, int(ldc));
}

// Runs body(g, b, h) for every (batch, head) pair, spread over the intra-op threads.
template <typename Body>
void forEachHead(int64_t batch, int64_t heads, const Body &body)
{
    at::parallel_for(0, batch * heads, 1, [&](int64_t begin, int64_t end) {
        for (int64_t g = begin; g < end; ++g)
            body(g, g / heads, g % heads);
    });
}

// The matrix products run per head as direct BLAS calls; the softmax and its gradient run as single ATen
// operations over all heads at once (vectorised, unlike a scalar exp loop here).
class CpuAttentionFunction : public torch::autograd::Function<CpuAttentionFunction>
{
public:
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &q, const at::Tensor &k,
                              const at::Tensor &v, int64_t heads, const at::Tensor &mask)
    {
        const int64_t batch = q.size(0), n = q.size(1), m = k.size(1);
        const HeadView qv = headView(q, heads), kv = headView(k, heads), vv = headView(v, heads);
        const int64_t d = qv.headDim;
        const float scale = float(1.0 / std::sqrt(double(d)));
        at::Tensor scores = at::empty({batch * heads, n, m}, q.options());
        float *s = scores.data_ptr<float>();
        forEachHead(batch, heads, [&](int64_t g, int64_t b, int64_t h) {
            gemm(false, true, n, m, d, scale, qv.at(b, h), qv.channels, kv.at(b, h), kv.channels, s + g * n * m, m);
        });
        if (mask.numel() > 0)
            scores.add_(mask);
        const at::Tensor probabilities = at::_softmax(scores, -1, false);
        const float *p = probabilities.data_ptr<float>();
        at::Tensor out = at::empty_like(q);
        const HeadView ov = headView(out, heads);
        forEachHead(batch, heads, [&](int64_t g, int64_t b, int64_t h) {
            gemm(false, false, n, d, m, 1.0f, p + g * n * m, m, vv.at(b, h), vv.channels, ov.at(b, h), ov.channels);
        });
        ctx->save_for_backward({q, k, v, probabilities});
        ctx->saved_data["heads"] = heads;
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::tensor_list gradients)
    {
        const auto saved = ctx->get_saved_variables();
        const at::Tensor &q = saved[0], &k = saved[1], &v = saved[2], &probabilities = saved[3];
        const int64_t heads = ctx->saved_data["heads"].toInt();
        const at::Tensor gradOut = gradients[0].contiguous();
        const int64_t batch = q.size(0), n = q.size(1), m = k.size(1);
        const HeadView qv = headView(q, heads), kv = headView(k, heads), vv = headView(v, heads);
        const HeadView dov = headView(gradOut, heads);
        const int64_t d = qv.headDim;
        const float scale = float(1.0 / std::sqrt(double(d)));
        at::Tensor gradQ = at::empty_like(q), gradK = at::empty_like(k), gradV = at::empty_like(v);
        const HeadView dqv = headView(gradQ, heads), dkv = headView(gradK, heads), dvv = headView(gradV, heads);
        at::Tensor gradProbabilities = at::empty_like(probabilities);
        const float *p = probabilities.data_ptr<float>();
        float *dp = gradProbabilities.data_ptr<float>();
        // dV = P^T dO and dP = dO V^T per head; dS = softmax'(dP) * scale over all heads; dQ = dS K, dK = dS^T Q.
        forEachHead(batch, heads, [&](int64_t g, int64_t b, int64_t h) {
            gemm(true, false, m, d, n, 1.0f, p + g * n * m, m, dov.at(b, h), dov.channels, dvv.at(b, h), dvv.channels);
            gemm(false, true, n, m, d, 1.0f, dov.at(b, h), dov.channels, vv.at(b, h), vv.channels, dp + g * n * m, m);
        });
        const at::Tensor gradScores = at::_softmax_backward_data(gradProbabilities, probabilities, -1, at::kFloat);
        const float *ds = gradScores.data_ptr<float>();
        forEachHead(batch, heads, [&](int64_t g, int64_t b, int64_t h) {
            gemm(false, false, n, d, m, scale, ds + g * n * m, m, kv.at(b, h), kv.channels, dqv.at(b, h), dqv.channels);
            gemm(true, false, m, d, n, scale, ds + g * n * m, m, qv.at(b, h), qv.channels, dkv.at(b, h), dkv.channels);
        });
        return {gradQ, gradK, gradV, at::Tensor(), at::Tensor()};
    }
};

} // namespace

bool cpuAttentionApplies(const at::Tensor &q, int64_t m, int64_t heads)
{
    return q.device().is_cpu() && q.scalar_type() == at::kFloat && q.dim() == 3 && q.size(2) % heads == 0
           && q.size(0) * heads * q.size(1) * m <= (int64_t(1) << 26);
}

at::Tensor cpuAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                        const at::Tensor &additiveMask)
{
    const int64_t batch = q.size(0), n = q.size(1), m = k.size(1);
    at::Tensor mask = at::empty({0}, q.options());
    if (additiveMask.defined())
        mask = additiveMask.detach().to(at::kFloat).expand({batch, heads, n, m}).reshape({batch * heads, n, m});
    return CpuAttentionFunction::apply(q.contiguous(), k.contiguous(), v.contiguous(), heads, mask);
}

#else

bool cpuAttentionApplies(const at::Tensor &, int64_t, int64_t)
{
    return false;   // LibTorch 2's scaled_dot_product_attention is used instead
}

at::Tensor cpuAttention(const at::Tensor &, const at::Tensor &, const at::Tensor &, int64_t, const at::Tensor &)
{
    throw std::logic_error("cpuAttention: not built with LibTorch 2");
}

#endif

} // namespace redifine
