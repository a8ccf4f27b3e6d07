#include "core/models/UNet_p.h"

#include "core/models/CpuBf16_p.h"
#include "core/models/GroupNormSilu_p.h"

namespace redifine {

std::shared_ptr<UNetBlockImpl> UNetBlockImpl::down(const UNetConfig &config, int64_t in, int64_t out, int64_t heads,
                                                   bool crossAttention, bool downsample)
{
    auto block = std::make_shared<UNetBlockImpl>();
    torch::nn::ModuleList resnets, attentions;
    for (int i = 0; i < config.layersPerBlock; ++i) {
        block->m_resnets.push_back(ResnetBlock2D(i == 0 ? in : out, out, 4 * config.blockOutChannels[0],
                                                 config.normGroups, config.normEps));
        resnets->push_back(block->m_resnets.back());
        if (crossAttention) {
            block->m_attentions.push_back(Transformer2D(out, heads, config.crossAttentionDim, config.normGroups,
                                                        config.useLinearProjection));
            attentions->push_back(block->m_attentions.back());
        }
    }
    if (crossAttention)
        block->register_module("attentions", attentions);
    block->register_module("resnets", resnets);
    if (downsample) {
        block->m_down = Downsample2D(out, false);
        torch::nn::ModuleList samplers;
        samplers->push_back(block->m_down);
        block->register_module("downsamplers", samplers);
    }
    return block;
}

std::shared_ptr<UNetBlockImpl> UNetBlockImpl::up(const UNetConfig &config, int64_t in, int64_t out, int64_t prevOut,
                                                 int64_t heads, bool crossAttention, bool upsample)
{
    auto block = std::make_shared<UNetBlockImpl>();
    torch::nn::ModuleList resnets, attentions;
    const int layers = config.layersPerBlock + 1;
    for (int i = 0; i < layers; ++i) {
        const int64_t skipChannels = i == layers - 1 ? in : out;
        const int64_t resnetIn = i == 0 ? prevOut : out;
        block->m_resnets.push_back(ResnetBlock2D(resnetIn + skipChannels, out, 4 * config.blockOutChannels[0],
                                                 config.normGroups, config.normEps));
        resnets->push_back(block->m_resnets.back());
        if (crossAttention) {
            block->m_attentions.push_back(Transformer2D(out, heads, config.crossAttentionDim, config.normGroups,
                                                        config.useLinearProjection));
            attentions->push_back(block->m_attentions.back());
        }
    }
    if (crossAttention)
        block->register_module("attentions", attentions);
    block->register_module("resnets", resnets);
    if (upsample) {
        block->m_up = Upsample2D(out);
        torch::nn::ModuleList samplers;
        samplers->push_back(block->m_up);
        block->register_module("upsamplers", samplers);
    }
    return block;
}

at::Tensor UNetBlockImpl::forwardDown(at::Tensor h, const at::Tensor &temb, const at::Tensor &context,
                                      std::vector<at::Tensor> &skips)
{
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        h = m_resnets[i](h, temb);
        if (!m_attentions.empty())
            h = m_attentions[i](h, context);
        skips.push_back(h);
    }
    if (m_down) {
        h = m_down(h);
        skips.push_back(h);
    }
    return h;
}

at::Tensor UNetBlockImpl::forwardUp(at::Tensor h, const at::Tensor &temb, const at::Tensor &context,
                                    std::vector<at::Tensor> &skips)
{
    for (size_t i = 0; i < m_resnets.size(); ++i) {
        h = at::cat({h, skips.back()}, 1);
        skips.pop_back();
        h = m_resnets[i](h, temb);
        if (!m_attentions.empty())
            h = m_attentions[i](h, context);
    }
    if (m_up) {
        // Upsample to the next skip's size, so sizes that are not multiples of 2^blocks still line up.
        const at::Tensor &next = skips.back();
        const std::vector<int64_t> size{next.size(2), next.size(3)};
        h = m_up->forward(h, size);
    }
    return h;
}

UNetImpl::UNetImpl(const UNetConfig &config)
    : m_config(config)
{
    const std::vector<int> &channels = config.blockOutChannels;
    const int64_t timeDim = 4 * channels[0];
    const size_t blocks = channels.size();
    conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.inChannels, channels[0], 3).padding(1)));
    auto timeEmbedding = std::make_shared<torch::nn::Module>();
    m_timeLinear1 = timeEmbedding->register_module("linear_1", torch::nn::Linear(channels[0], timeDim));
    m_timeLinear2 = timeEmbedding->register_module("linear_2", torch::nn::Linear(timeDim, timeDim));
    register_module("time_embedding", timeEmbedding);

    torch::nn::ModuleList down;
    int64_t output = channels[0];
    for (size_t i = 0; i < blocks; ++i) {
        const int64_t input = output;
        output = channels[i];
        m_downBlocks.push_back(UNetBlockImpl::down(config, input, output, config.attentionHeads[i],
                                                   config.crossAttention[i], i + 1 < blocks));
        down->push_back(m_downBlocks.back());
    }
    register_module("down_blocks", down);

    auto mid = std::make_shared<torch::nn::Module>();
    const int64_t last = channels.back();
    torch::nn::ModuleList midResnets, midAttentions;
    m_midResnet0 = ResnetBlock2D(last, last, timeDim, config.normGroups, config.normEps);
    m_midResnet1 = ResnetBlock2D(last, last, timeDim, config.normGroups, config.normEps);
    m_midAttention = Transformer2D(last, config.attentionHeads.back(), config.crossAttentionDim, config.normGroups,
                                   config.useLinearProjection);
    midResnets->push_back(m_midResnet0);
    midResnets->push_back(m_midResnet1);
    midAttentions->push_back(m_midAttention);
    mid->register_module("attentions", midAttentions);
    mid->register_module("resnets", midResnets);
    register_module("mid_block", mid);

    torch::nn::ModuleList up;
    output = channels.back();
    for (size_t i = 0; i < blocks; ++i) {
        const size_t reversed = blocks - 1 - i;
        const int64_t prevOut = output;
        output = channels[reversed];
        const int64_t input = channels[reversed == 0 ? 0 : reversed - 1];
        m_upBlocks.push_back(UNetBlockImpl::up(config, input, output, prevOut, config.attentionHeads[reversed],
                                               config.crossAttention[reversed], i + 1 < blocks));
        up->push_back(m_upBlocks.back());
    }
    register_module("up_blocks", up);

    conv_norm_out = register_module("conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(config.normGroups, channels[0]).eps(config.normEps)));
    conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels[0], config.outChannels, 3).padding(1)));
}

at::Tensor UNetImpl::forward(const at::Tensor &sample, const at::Tensor &timesteps, const at::Tensor &context)
{
    at::Tensor t = timesteps.to(sample.device());
    if (t.dim() == 0)
        t = t.unsqueeze(0);
    if (t.size(0) != sample.size(0))
        t = t.expand({sample.size(0)});
    const at::Tensor tProj = timestepEmbedding(t, m_config.blockOutChannels[0], m_config.flipSinToCos, m_config.freqShift)
                                 .to(sample.dtype());
    const at::Tensor temb = linearProduct(at::silu(linearProduct(tProj, m_timeLinear1->weight, m_timeLinear1->bias)),
                                          m_timeLinear2->weight, m_timeLinear2->bias);

    at::Tensor h = convolution(conv_in, sample);
    std::vector<at::Tensor> skips{h};
    for (const auto &block : m_downBlocks)
        h = block->forwardDown(h, temb, context, skips);
    h = m_midResnet0(h, temb);
    h = m_midAttention(h, context);
    h = m_midResnet1(h, temb);
    for (const auto &block : m_upBlocks)
        h = block->forwardUp(h, temb, context, skips);
    return convolution(conv_out, groupNormSilu(h, conv_norm_out));
}

} // namespace redifine
