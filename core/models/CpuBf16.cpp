#include "core/models/CpuBf16_p.h"

#include <variant>

namespace redifine {

namespace {

thread_local bool t_enabled = false;
thread_local double t_minimum = kDefaultBf16MinimumMultiplyAdds;

bool applies(const at::Tensor &x, double multiplyAdds)
{
    return t_enabled && x.device().is_cpu() && x.scalar_type() == at::kFloat && multiplyAdds >= t_minimum;
}

// rows x in x out of x W^T, for x [..., in] and W [out, in]
double linearMultiplyAdds(const at::Tensor &x, const at::Tensor &weight)
{
    return double(x.numel()) * double(weight.size(0));
}

// output positions x (in / groups) x kh x kw x out of a convolution; stride is applied per spatial dimension
double convolutionMultiplyAdds(const at::Tensor &x, const at::Tensor &weight, at::IntArrayRef stride)
{
    double positions = double(x.size(0));
    for (int d = 0; d < 2; ++d)
        positions *= double(x.size(2 + d)) / double(stride.empty() ? 1 : stride[size_t(d) % stride.size()]);
    return positions * double(weight.numel());   // = per-position (in / groups) x kh x kw x out
}

at::Tensor toBf16(const at::Tensor &t)
{
    return t.defined() ? t.to(at::kBFloat16) : t;
}

} // namespace

CpuBf16Scope::CpuBf16Scope(bool enabled)
    : m_previous(t_enabled)
{
    t_enabled = enabled;
}

CpuBf16Scope::~CpuBf16Scope()
{
    t_enabled = m_previous;
}

CpuBf16MinimumScope::CpuBf16MinimumScope(double minimumMultiplyAdds)
    : m_previous(t_minimum)
{
    t_minimum = minimumMultiplyAdds;
}

CpuBf16MinimumScope::~CpuBf16MinimumScope()
{
    t_minimum = m_previous;
}

at::Tensor linearProduct(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias)
{
    if (!applies(x, linearMultiplyAdds(x, weight)))
        return at::linear(x, weight, bias);
    return at::linear(x.to(at::kBFloat16), weight.to(at::kBFloat16), toBf16(bias)).to(at::kFloat);
}

at::Tensor pointwiseConvolution(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias)
{
    if (!applies(x, x.dim() == 4 ? convolutionMultiplyAdds(x, weight, {}) : 0.0))
        return at::conv2d(x, weight, bias);
    return at::conv2d(x.to(at::kBFloat16), weight.to(at::kBFloat16), toBf16(bias)).to(at::kFloat);
}

at::Tensor convolution(torch::nn::Conv2d &conv, const at::Tensor &x)
{
    // LibTorch 1.x keeps these options in c10::variant, 2.x in std::variant: unqualified calls find either.
    using std::get_if;
    using std::holds_alternative;
    const auto &o = conv->options;
    const auto *padding = get_if<torch::ExpandingArray<2>>(&o.padding());
    // Only the zero-padded convolutions the models use; anything else keeps the module's own path.
    if (padding == nullptr || x.dim() != 4 || !holds_alternative<torch::enumtype::kZeros>(o.padding_mode())
        || !applies(x, convolutionMultiplyAdds(x, conv->weight, *o.stride())))
        return conv->forward(x);
    return at::conv2d(x.to(at::kBFloat16), conv->weight.to(at::kBFloat16), toBf16(conv->bias), *o.stride(), **padding,
                      *o.dilation(), o.groups())
        .to(at::kFloat);
}

} // namespace redifine
