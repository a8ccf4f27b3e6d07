#include "core/models/Autoencoder_p.h"

#include "core/models/GroupNormSilu_p.h"

namespace redifine {

namespace {
constexpr double kVaeEps = 1e-6;   // diffusers' Encoder/Decoder use eps 1e-6 in every norm
}

VaeMidBlockImpl::VaeMidBlockImpl(int64_t channels, int64_t groups)
{
    torch::nn::ModuleList resnets, attentions;
    m_resnet0 = ResnetBlock2D(channels, channels, 0, groups, kVaeEps);
    m_resnet1 = ResnetBlock2D(channels, channels, 0, groups, kVaeEps);
    resnets->push_back(m_resnet0);
    resnets->push_back(m_resnet1);
    // The attention carries its group norm as "group_norm" next to to_q/to_k/to_v/to_out.
    m_attention = Attention(channels, channels, 1, true);
    m_norm = m_attention->register_module(
        "group_norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(kVaeEps)));
    attentions->push_back(m_attention);
    register_module("attentions", attentions);
    register_module("resnets", resnets);
}

at::Tensor VaeMidBlockImpl::forward(const at::Tensor &x)
{
    at::Tensor h = m_resnet0(x);
    const int64_t b = h.size(0), c = h.size(1), height = h.size(2), width = h.size(3);
    // contiguous tokens: a transposed [B, N, C] view sends 1.13's matmul down a per-sample bmm loop
    const at::Tensor tokens = m_norm(h).view({b, c, height * width}).transpose(1, 2).contiguous();
    h = m_attention(tokens).transpose(1, 2).reshape({b, c, height, width}) + h;
    return m_resnet1(h);
}

VaeCoderImpl::VaeCoderImpl(const VaeConfig &config, bool encoder)
    : m_encoder(encoder)
{
    const std::vector<int> &ch = config.blockOutChannels;
    const size_t blocks = ch.size();
    torch::nn::ModuleList blockList;
    if (encoder) {
        conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.inChannels, ch[0], 3).padding(1)));
        int64_t output = ch[0];
        for (size_t i = 0; i < blocks; ++i) {
            const int64_t input = output;
            output = ch[i];
            auto block = std::make_shared<torch::nn::Module>();
            torch::nn::ModuleList resnets;
            m_resnets.emplace_back();
            for (int l = 0; l < config.layersPerBlock; ++l) {
                m_resnets.back().push_back(ResnetBlock2D(l == 0 ? input : output, output, 0, config.normGroups, kVaeEps));
                resnets->push_back(m_resnets.back().back());
            }
            block->register_module("resnets", resnets);
            if (i + 1 < blocks) {
                m_downsamplers.push_back(Downsample2D(output, true));
                torch::nn::ModuleList samplers;
                samplers->push_back(m_downsamplers.back());
                block->register_module("downsamplers", samplers);
            }
            blockList->push_back(block);
        }
        register_module("down_blocks", blockList);
        mid_block = register_module("mid_block", VaeMidBlock(ch.back(), config.normGroups));
        conv_norm_out = register_module("conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(config.normGroups, ch.back()).eps(kVaeEps)));
        conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(ch.back(), 2 * config.latentChannels, 3).padding(1)));
    } else {
        conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.latentChannels, ch.back(), 3).padding(1)));
        mid_block = register_module("mid_block", VaeMidBlock(ch.back(), config.normGroups));
        int64_t output = ch.back();
        for (size_t i = 0; i < blocks; ++i) {
            const int64_t prev = output;
            output = ch[blocks - 1 - i];
            auto block = std::make_shared<torch::nn::Module>();
            torch::nn::ModuleList resnets;
            m_resnets.emplace_back();
            for (int l = 0; l < config.layersPerBlock + 1; ++l) {
                m_resnets.back().push_back(ResnetBlock2D(l == 0 ? prev : output, output, 0, config.normGroups, kVaeEps));
                resnets->push_back(m_resnets.back().back());
            }
            block->register_module("resnets", resnets);
            if (i + 1 < blocks) {
                m_upsamplers.push_back(Upsample2D(output));
                torch::nn::ModuleList samplers;
                samplers->push_back(m_upsamplers.back());
                block->register_module("upsamplers", samplers);
            }
            blockList->push_back(block);
        }
        register_module("up_blocks", blockList);
        conv_norm_out = register_module("conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(config.normGroups, ch[0]).eps(kVaeEps)));
        conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(ch[0], config.outChannels, 3).padding(1)));
    }
}

at::Tensor VaeCoderImpl::forward(at::Tensor x)
{
    x = conv_in(x);
    if (!m_encoder)
        x = mid_block(x);
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        for (ResnetBlock2D &resnet : m_resnets[i])
            x = resnet(x);
        if (m_encoder && i < m_downsamplers.size())
            x = m_downsamplers[i](x);
        if (!m_encoder && i < m_upsamplers.size())
            x = m_upsamplers[i]->forward(x);
    }
    if (m_encoder)
        x = mid_block(x);
    return conv_out(groupNormSilu(x, conv_norm_out));
}

AutoencoderImpl::AutoencoderImpl(const VaeConfig &config)
    : m_config(config)
{
    encoder = register_module("encoder", VaeCoder(config, true));
    decoder = register_module("decoder", VaeCoder(config, false));
    quant_conv = register_module("quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(2 * config.latentChannels, 2 * config.latentChannels, 1)));
    post_quant_conv = register_module("post_quant_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.latentChannels, config.latentChannels, 1)));
}

LatentDistribution AutoencoderImpl::encode(const at::Tensor &image)
{
    const at::Tensor moments = quant_conv(encoder(image));
    const std::vector<at::Tensor> parts = moments.chunk(2, 1);
    return {parts[0], parts[1].clamp(-30.0, 20.0)};
}

at::Tensor AutoencoderImpl::decode(const at::Tensor &latents)
{
    return decoder(post_quant_conv(latents));
}

} // namespace redifine
