#pragma once
// Core-internal: diffusers' UNet2DConditionModel with Stable Diffusion's block layout, sized by UNetConfig.

#include "core/models/Layers_p.h"
#include "core/models/ModelConfigs.h"

namespace redifine {

// A down or up block: resnets, optional cross-attention transformers, optional resampler.
class UNetBlockImpl : public torch::nn::Module
{
public:
    // Down block: `layers` resnets in -> out.
    static std::shared_ptr<UNetBlockImpl> down(const UNetConfig &config, int64_t in, int64_t out, int64_t heads,
                                               bool crossAttention, bool downsample);
    // Up block: `layers` resnets taking (previous output | skip) channels.
    static std::shared_ptr<UNetBlockImpl> up(const UNetConfig &config, int64_t in, int64_t out, int64_t prevOut,
                                             int64_t heads, bool crossAttention, bool upsample);

    // Down: appends each output state to `skips`. Up: consumes skips from the back.
    at::Tensor forwardDown(at::Tensor h, const at::Tensor &temb, const at::Tensor &context, std::vector<at::Tensor> &skips);
    at::Tensor forwardUp(at::Tensor h, const at::Tensor &temb, const at::Tensor &context, std::vector<at::Tensor> &skips);

    UNetBlockImpl() = default;

private:
    std::vector<ResnetBlock2D> m_resnets;
    std::vector<Transformer2D> m_attentions;
    Downsample2D m_down{nullptr};
    Upsample2D m_up{nullptr};
};

class UNetImpl : public torch::nn::Module
{
public:
    explicit UNetImpl(const UNetConfig &config);
    // sample [B, C, H, W]; timesteps [B] or [1] (fractional allowed); context [B, L, D]. Returns eps.
    at::Tensor forward(const at::Tensor &sample, const at::Tensor &timesteps, const at::Tensor &context);
    const UNetConfig &config() const { return m_config; }

private:
    UNetConfig m_config;
    torch::nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
    torch::nn::Linear m_timeLinear1{nullptr}, m_timeLinear2{nullptr};
    std::vector<std::shared_ptr<UNetBlockImpl>> m_downBlocks, m_upBlocks;
    ResnetBlock2D m_midResnet0{nullptr}, m_midResnet1{nullptr};
    Transformer2D m_midAttention{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
};
TORCH_MODULE(UNet);

} // namespace redifine
