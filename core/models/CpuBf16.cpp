#include "core/models/CpuBf16_p.h"

#include <variant>

namespace redifine {

namespace {

thread_local bool t_enabled = false;

bool applies(const at::Tensor &x)
{
    return t_enabled && x.device().is_cpu() && x.scalar_type() == at::kFloat;
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

at::Tensor linearProduct(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias)
{
    if (!applies(x))
        return at::linear(x, weight, bias);
    return at::linear(x.to(at::kBFloat16), weight.to(at::kBFloat16), toBf16(bias)).to(at::kFloat);
}

at::Tensor pointwiseConvolution(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias)
{
    if (!applies(x))
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
    if (!applies(x) || padding == nullptr || !holds_alternative<torch::enumtype::kZeros>(o.padding_mode()))
        return conv->forward(x);
    return at::conv2d(x.to(at::kBFloat16), conv->weight.to(at::kBFloat16), toBf16(conv->bias), *o.stride(), **padding,
                      *o.dilation(), o.groups())
        .to(at::kFloat);
}

} // namespace redifine
