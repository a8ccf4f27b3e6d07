#include "core/models/Layers_p.h"

#include "core/models/CpuAttention_p.h"
#include "core/models/CpuBf16_p.h"
#include "core/models/Geglu_p.h"
#include "core/models/GroupNormSilu_p.h"
#include "core/models/LoraCost.h"

#include <torch/version.h>

#include <cmath>

namespace redifine {

namespace F = torch::nn::functional;

// ---- LoRA targets -----------------------------------------------------------------------------------------

void LoraTarget::setLora(at::Tensor down, at::Tensor up, double scale)
{
    m_down = std::move(down);
    m_up = std::move(up);
    m_scale = scale;
}

void LoraTarget::clearLora()
{
    m_down = at::Tensor();
    m_up = at::Tensor();
    m_scale = 0.0;
}

void LoraTarget::mergeLora()
{
    if (!m_down.defined())
        return;
    torch::NoGradGuard noGrad;
    const at::Tensor &weight = loraWeight();
    const at::Tensor delta = at::matmul(m_up.flatten(1), m_down.flatten(1)) * m_scale;
    weight.add_(delta.view(weight.sizes()).to(weight.dtype()));
    clearLora();
}

bool LoraTarget::hasSpatialKernel() const
{
    const std::vector<int64_t> down = downShape(1);
    return down.size() == 4 && down[2] * down[3] > 1;
}

bool LoraTarget::loraTraining(const at::Tensor &x) const
{
    return at::GradMode::is_enabled() && (m_down.requires_grad() || m_up.requires_grad() || x.requires_grad());
}

// ---- AdaptableLinear -------------------------------------------------------------------------------------

AdaptableLinearImpl::AdaptableLinearImpl(int64_t in, int64_t out, bool withBias, bool conv1x1)
    : m_in(in)
    , m_out(out)
    , m_conv(conv1x1)
{
    // torch.nn.Linear / Conv2d default initialisation.
    weight = register_parameter("weight", conv1x1 ? torch::empty({out, in, 1, 1}) : torch::empty({out, in}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (withBias) {
        const double bound = 1.0 / std::sqrt(double(in));
        bias = register_parameter("bias", torch::empty({out}).uniform_(-bound, bound));
    }
}

std::vector<int64_t> AdaptableLinearImpl::downShape(int64_t rank) const
{
    return m_conv ? std::vector<int64_t>{rank, m_in, 1, 1} : std::vector<int64_t>{rank, m_in};
}

std::vector<int64_t> AdaptableLinearImpl::upShape(int64_t rank) const
{
    return m_conv ? std::vector<int64_t>{m_out, rank, 1, 1} : std::vector<int64_t>{m_out, rank};
}

at::Tensor AdaptableLinearImpl::base(const at::Tensor &x, const at::Tensor &w, const at::Tensor &b) const
{
    // A 1x1 convolution also takes [..., in] tokens: the same product, as a matrix multiply.
    if (m_conv && x.dim() == 4)
        return pointwiseConvolution(x, w, b);
    return linearProduct(x, w.dim() == 4 ? w.flatten(1) : w, b);
}

at::Tensor AdaptableLinearImpl::forward(const at::Tensor &x)
{
    if (!m_down.defined())
        return base(x, weight, bias);
    const double tokens = double(x.numel()) / double(m_in);
    if (loraCost(tokens, double(m_in), double(m_out), double(m_down.size(0)), loraTraining(x)).merged) {
        // W + s up down as one addmm (one autograd node instead of three)
        const at::Tensor merged = at::addmm(weight.flatten(1), m_up.flatten(1), m_down.flatten(1), 1.0, m_scale);
        return base(x, merged.view(weight.sizes()), bias);
    }
    return base(x, weight, bias) + base(base(x, m_down, {}), m_up, {}) * m_scale;
}

// ---- AdaptableConv2d -------------------------------------------------------------------------------------

AdaptableConv2dImpl::AdaptableConv2dImpl(const torch::nn::Conv2dOptions &options)
    : torch::nn::Conv2dImpl(options)
{
}

std::vector<int64_t> AdaptableConv2dImpl::downShape(int64_t rank) const
{
    return {rank, weight.size(1), weight.size(2), weight.size(3)};
}

std::vector<int64_t> AdaptableConv2dImpl::upShape(int64_t rank) const
{
    return {weight.size(0), rank, 1, 1};
}

at::Tensor AdaptableConv2dImpl::forward(const at::Tensor &x)
{
    if (!m_down.defined())
        return convolution(*this, x, weight);
    // Positions the kernel visits: the output's, from the input's and the stride.
    const auto &stride = *options.stride();
    const double positions = double(x.size(0)) * double(x.size(2)) / double(stride[0]) * double(x.size(3)) / double(stride[1]);
    const double in = double(weight[0].numel());   // in x kh x kw
    if (loraCost(positions, in, double(weight.size(0)), double(m_down.size(0)), loraTraining(x)).merged) {
        const at::Tensor merged = at::addmm(weight.flatten(1), m_up.flatten(1), m_down.flatten(1), 1.0, m_scale);
        return convolution(*this, x, merged.view(weight.sizes()));
    }
    // kohya's LoRAModule for a Conv2d: lora_down has the layer's kernel, stride and padding, lora_up is 1x1.
    const at::Tensor down = convolution(*this, x, m_down, false);
    return convolution(*this, x, weight) + pointwiseConvolution(down, m_up, {}) * m_scale;
}

// ---- attention ----------------------------------------------------------------------------------------

at::Tensor multiHeadAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                              const at::Tensor &additiveMask)
{
    const int64_t batch = q.size(0);
    const int64_t n = q.size(1);
    const int64_t m = k.size(1);
    if (cpuAttentionApplies(q, m, heads))   // LibTorch 1.x on the CPU (CpuAttention_p.h)
        return cpuAttention(q, k, v, heads, additiveMask);
    const int64_t headDim = q.size(2) / heads;
    const at::Tensor qh = q.view({batch, n, heads, headDim}).transpose(1, 2);
    const at::Tensor kh = k.view({batch, m, heads, headDim}).transpose(1, 2);
    const at::Tensor vh = v.view({batch, m, heads, headDim}).transpose(1, 2);
    at::Tensor out;
#if TORCH_VERSION_MAJOR >= 2
    // An undefined tensor is not "no mask" to SDPA: call the overload without one.
    out = additiveMask.defined() ? at::scaled_dot_product_attention(qh, kh, vh, additiveMask.to(q.dtype()))
                                 : at::scaled_dot_product_attention(qh, kh, vh);
#else
    // Chunk the queries so that the score matrix stays within about 64 M elements.
    const double scale = 1.0 / std::sqrt(double(headDim));
    const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 26) / std::max<int64_t>(1, batch * heads * m));
    std::vector<at::Tensor> parts;
    for (int64_t start = 0; start < n; start += chunk) {
        const int64_t end = std::min(n, start + chunk);
        at::Tensor scores = at::matmul(qh.slice(2, start, end), kh.transpose(-1, -2)) * scale;
        if (additiveMask.defined())
            scores = scores + additiveMask.slice(-2, start, end);
        parts.push_back(at::matmul(at::softmax(scores, -1), vh));
    }
    out = parts.size() == 1 ? parts.front() : at::cat(parts, 2);
#endif
    return out.transpose(1, 2).reshape({batch, n, heads * headDim});
}

at::Tensor timestepEmbedding(const at::Tensor &timesteps, int64_t dim, bool flipSinToCos, double freqShift)
{
    const int64_t half = dim / 2;
    const at::Tensor exponent = at::arange(half, timesteps.options().dtype(at::kFloat)) * (-std::log(10000.0))
                                / (double(half) - freqShift);
    const at::Tensor args = timesteps.to(at::kFloat).unsqueeze(1) * at::exp(exponent).unsqueeze(0);
    at::Tensor emb = at::cat({at::sin(args), at::cos(args)}, -1);
    if (flipSinToCos)
        emb = at::cat({emb.slice(1, half), emb.slice(1, 0, half)}, -1);
    if (dim % 2 == 1)
        emb = at::constant_pad_nd(emb, {0, 1});
    return emb;
}

// ---- ResnetBlock2D ------------------------------------------------------------------------------------

ResnetBlock2DImpl::ResnetBlock2DImpl(int64_t in, int64_t out, int64_t tembChannels, int64_t groups, double eps)
{
    norm1 = register_module("norm1", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, in).eps(eps)));
    conv1 = register_module("conv1", AdaptableConv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)));
    if (tembChannels > 0)
        time_emb_proj = register_module("time_emb_proj", AdaptableLinear(tembChannels, out, true));
    norm2 = register_module("norm2", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, out).eps(eps)));
    conv2 = register_module("conv2", AdaptableConv2d(torch::nn::Conv2dOptions(out, out, 3).padding(1)));
    if (in != out)
        conv_shortcut = register_module("conv_shortcut", AdaptableConv2d(torch::nn::Conv2dOptions(in, out, 1)));
}

at::Tensor ResnetBlock2DImpl::forward(const at::Tensor &x, const at::Tensor &temb)
{
    at::Tensor h = conv1(groupNormSilu(x, norm1));
    if (time_emb_proj && temb.defined())
        h = h + time_emb_proj(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);
    h = conv2(groupNormSilu(h, norm2));
    return (conv_shortcut ? conv_shortcut(x) : x) + h;
}

// ---- Attention and transformer blocks -----------------------------------------------------------------

AttentionImpl::AttentionImpl(int64_t queryDim, int64_t contextDim, int64_t heads, bool qkvBias)
    : m_heads(heads)
{
    to_q = register_module("to_q", AdaptableLinear(queryDim, queryDim, qkvBias));
    to_k = register_module("to_k", AdaptableLinear(contextDim, queryDim, qkvBias));
    to_v = register_module("to_v", AdaptableLinear(contextDim, queryDim, qkvBias));
    torch::nn::ModuleList out;
    m_toOut = AdaptableLinear(queryDim, queryDim, true);
    out->push_back(m_toOut);
    out->push_back(torch::nn::Dropout(0.0));
    register_module("to_out", out);
}

at::Tensor AttentionImpl::forward(const at::Tensor &x, const at::Tensor &context)
{
    const at::Tensor &kv = context.defined() ? context : x;
    return m_toOut(multiHeadAttention(to_q(x), to_k(kv), to_v(kv), m_heads));
}

BasicTransformerBlockImpl::BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t contextDim)
{
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    attn1 = register_module("attn1", Attention(dim, dim, heads, false));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    attn2 = register_module("attn2", Attention(dim, contextDim, heads, false));
    norm3 = register_module("norm3", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    // ff.net = [GEGLU(proj), Dropout, Linear], as diffusers names it.
    const int64_t inner = 4 * dim;
    auto geglu = std::make_shared<torch::nn::Module>();
    m_ffIn = geglu->register_module("proj", AdaptableLinear(dim, inner * 2, true));
    m_ffOut = AdaptableLinear(inner, dim, true);
    torch::nn::ModuleList net;
    net->push_back(geglu);
    net->push_back(torch::nn::Dropout(0.0));
    net->push_back(m_ffOut);
    auto ff = std::make_shared<torch::nn::Module>();
    ff->register_module("net", net);
    register_module("ff", ff);
}

at::Tensor BasicTransformerBlockImpl::forward(const at::Tensor &x, const at::Tensor &context)
{
    at::Tensor h = attn1(norm1(x)) + x;
    h = attn2(norm2(h), context) + h;
    return m_ffOut(geglu(m_ffIn(norm3(h)))) + h;
}

Transformer2DImpl::Transformer2DImpl(int64_t channels, int64_t heads, int64_t contextDim, int64_t groups,
                                     bool linearProjection)
{
    norm = register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(1e-6)));
    proj_in = register_module("proj_in", AdaptableLinear(channels, channels, true, !linearProjection));
    m_block = BasicTransformerBlock(channels, heads, contextDim);
    torch::nn::ModuleList blocks;
    blocks->push_back(m_block);
    register_module("transformer_blocks", blocks);
    proj_out = register_module("proj_out", AdaptableLinear(channels, channels, true, !linearProjection));
}

at::Tensor Transformer2DImpl::forward(const at::Tensor &x, const at::Tensor &context)
{
    // proj_in and proj_out run on the [B, H*W, C] tokens whether they are 1x1 convolutions (SD1.5) or
    // linear layers: the same numbers, and 1.13's oneDNN 1x1 convolution on NCHW was the slower route.
    const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    // (contiguous: a strided [B, N, C] view sends 1.13's matmul down a per-sample bmm loop)
    at::Tensor y = norm(x).permute({0, 2, 3, 1}).contiguous().view({b, h * w, c});
    y = proj_out(m_block(proj_in(y), context));
    return y.reshape({b, h, w, c}).permute({0, 3, 1, 2}).contiguous() + x;
}

// ---- sampling blocks ----------------------------------------------------------------------------------

Downsample2DImpl::Downsample2DImpl(int64_t channels, bool asymmetricPadding)
    : m_asymmetric(asymmetricPadding)
{
    conv = register_module("conv", AdaptableConv2d(torch::nn::Conv2dOptions(channels, channels, 3)
                                                       .stride(2)
                                                       .padding(asymmetricPadding ? 0 : 1)));
}

at::Tensor Downsample2DImpl::forward(const at::Tensor &x)
{
    return conv(m_asymmetric ? at::constant_pad_nd(x, {0, 1, 0, 1}) : x);
}

Upsample2DImpl::Upsample2DImpl(int64_t channels)
{
    conv = register_module("conv", AdaptableConv2d(torch::nn::Conv2dOptions(channels, channels, 3).padding(1)));
}

at::Tensor Upsample2DImpl::forward(const at::Tensor &x, at::IntArrayRef size)
{
    const std::vector<int64_t> target = size.empty() ? std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2}
                                                     : std::vector<int64_t>(size.begin(), size.end());
    return conv(at::upsample_nearest2d(x, target));
}

} // namespace redifine
