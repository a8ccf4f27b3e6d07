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

at::Tensor convolution(const torch::nn::Conv2dImpl &conv, const at::Tensor &x, const at::Tensor &weight, bool withBias)
{
    // LibTorch 1.x keeps these options in c10::variant, 2.x in std::variant: unqualified calls find either.
    using std::get_if;
    using std::holds_alternative;
    const auto &o = conv.options;
    const auto *padding = get_if<torch::ExpandingArray<2>>(&o.padding());
    // The models build only zero-padded convolutions with numeric padding.
    TORCH_CHECK(padding != nullptr && holds_alternative<torch::enumtype::kZeros>(o.padding_mode()),
                "convolution: only zero padding of given sizes is supported");
    const at::Tensor bias = withBias ? conv.bias : at::Tensor();
    if (x.dim() != 4 || !applies(x, convolutionMultiplyAdds(x, weight, *o.stride())))
        return at::conv2d(x, weight, bias, *o.stride(), **padding, *o.dilation(), o.groups());
    return at::conv2d(x.to(at::kBFloat16), weight.to(at::kBFloat16), toBf16(bias), *o.stride(), **padding,
                      *o.dilation(), o.groups())
        .to(at::kFloat);
}

} // namespace redifine
