#pragma once
// Core-internal: diffusers' AutoencoderKL (Stable Diffusion's VAE), sized by VaeConfig.

#include "core/models/Layers_p.h"
#include "core/models/ModelConfigs.h"

namespace redifine {

// The mid block of the encoder and decoder: resnet, single-head self-attention with a group norm, resnet.
class VaeMidBlockImpl : public torch::nn::Module
{
public:
    VaeMidBlockImpl(int64_t channels, int64_t groups);
    at::Tensor forward(const at::Tensor &x);

private:
    ResnetBlock2D m_resnet0{nullptr}, m_resnet1{nullptr};
    torch::nn::GroupNorm m_norm{nullptr};
    Attention m_attention{nullptr};
};
TORCH_MODULE(VaeMidBlock);

class VaeCoderImpl : public torch::nn::Module
{
public:
    VaeCoderImpl(const VaeConfig &config, bool encoder);
    at::Tensor forward(at::Tensor x);

private:
    bool m_encoder;
    torch::nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
    std::vector<std::vector<ResnetBlock2D>> m_resnets;
    std::vector<Downsample2D> m_downsamplers;
    std::vector<Upsample2D> m_upsamplers;
    VaeMidBlock mid_block{nullptr};
    torch::nn::GroupNorm conv_norm_out{nullptr};
};
TORCH_MODULE(VaeCoder);

struct LatentDistribution
{
    at::Tensor mean;
    at::Tensor logvar;   // clamped to [-30, 20] as diffusers does
    at::Tensor std() const { return at::exp(0.5 * logvar); }
    at::Tensor sample(const at::Tensor &unitNoise) const { return mean + std() * unitNoise; }
};

class AutoencoderImpl : public torch::nn::Module
{
public:
    explicit AutoencoderImpl(const VaeConfig &config);
    // image in [-1, 1], [B, 3, H, W] -> latent distribution (unscaled: multiply by scalingFactor for the UNet)
    LatentDistribution encode(const at::Tensor &image);
    // unscaled latents -> image in about [-1, 1]
    at::Tensor decode(const at::Tensor &latents);
    const VaeConfig &config() const { return m_config; }

private:
    VaeConfig m_config;
    VaeCoder encoder{nullptr}, decoder{nullptr};
    torch::nn::Conv2d quant_conv{nullptr}, post_quant_conv{nullptr};
};
TORCH_MODULE(Autoencoder);

} // namespace redifine
