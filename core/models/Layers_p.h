#pragma once
// Core-internal: the building blocks shared by the UNet, the autoencoder and the text encoder, registered
// under Stable Diffusion's (diffusers') module names so that checkpoints load by name.

#include <ATen/ATen.h>
#include <torch/nn.h>

namespace redifine {

// A layer a LoRA adapter can attach to: y = layer(x) + s up(down(x)). down has the layer's input and kernel
// ([rank, in] for a Linear, [rank, in, kh, kw] for a convolution, applied with the layer's stride and padding),
// up maps the rank onto the layer's outputs ([out, rank], or a 1x1 convolution [out, rank, 1, 1]), so the pair
// is the layer's own operation with the weight s up.flatten(1) @ down.flatten(1).
class LoraTarget
{
public:
    virtual ~LoraTarget() = default;
    void setLora(at::Tensor down, at::Tensor up, double scale);
    void clearLora();
    // Folds the adapter into the weight (W += s up down) and detaches it.
    void mergeLora();
    virtual std::vector<int64_t> downShape(int64_t rank) const = 0;
    virtual std::vector<int64_t> upShape(int64_t rank) const = 0;
    // A convolution with a kernel larger than 1x1: kohya's conv_dim adapts these, its network_dim the rest.
    bool hasSpatialKernel() const;
    // The weight the adapter adds to (the layer's registered parameter).
    virtual const at::Tensor &loraWeight() const = 0;

protected:
    // Gradients flow through the adapter, so a cheaper form must still give the adapter its gradients.
    bool loraTraining(const at::Tensor &x) const;
    at::Tensor m_down;
    at::Tensor m_up;
    double m_scale = 0.0;
};

// A Linear layer, or a 1x1 convolution, that a LoRA adapter can attach to. Every LoRA target of the transformer
// blocks (attention projections, feed-forward, proj_in/proj_out) and the ResNet blocks' time_emb_proj is one.
class AdaptableLinearImpl : public torch::nn::Module, public LoraTarget
{
public:
    AdaptableLinearImpl(int64_t in, int64_t out, bool bias, bool conv1x1 = false);
    at::Tensor forward(const at::Tensor &x);

    std::vector<int64_t> downShape(int64_t rank) const override;
    std::vector<int64_t> upShape(int64_t rank) const override;
    const at::Tensor &loraWeight() const override { return weight; }
    bool isConv() const { return m_conv; }
    int64_t inFeatures() const { return m_in; }
    int64_t outFeatures() const { return m_out; }
    at::Tensor weight;
    at::Tensor bias;

private:
    at::Tensor base(const at::Tensor &x, const at::Tensor &w, const at::Tensor &b) const;
    int64_t m_in;
    int64_t m_out;
    bool m_conv;
};
TORCH_MODULE(AdaptableLinear);

// A zero-padded convolution that a LoCon adapter (kohya's conv_dim) can attach to: the ResNet blocks' convs and
// the down- and upsamplers'. Its parameters are torch::nn::Conv2d's, under the same names.
class AdaptableConv2dImpl : public torch::nn::Conv2dImpl, public LoraTarget
{
public:
    explicit AdaptableConv2dImpl(const torch::nn::Conv2dOptions &options);
    at::Tensor forward(const at::Tensor &x);

    std::vector<int64_t> downShape(int64_t rank) const override;
    std::vector<int64_t> upShape(int64_t rank) const override;
    const at::Tensor &loraWeight() const override { return weight; }
};
TORCH_MODULE(AdaptableConv2d);

// Multi-head attention over [B, N, C] queries and [B, M, C'] keys/values. Uses LibTorch 2's fused
// scaled_dot_product_attention where available; otherwise computes in query chunks so that large images
// do not materialise an N x M x heads matrix at once.
at::Tensor multiHeadAttention(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, int64_t heads,
                              const at::Tensor &additiveMask = {});

// Sinusoidal timestep embedding as diffusers' get_timestep_embedding.
at::Tensor timestepEmbedding(const at::Tensor &timesteps, int64_t dim, bool flipSinToCos, double freqShift);

class ResnetBlock2DImpl : public torch::nn::Module
{
public:
    ResnetBlock2DImpl(int64_t in, int64_t out, int64_t tembChannels, int64_t groups, double eps);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &temb = {});

private:
    torch::nn::GroupNorm norm1{nullptr}, norm2{nullptr};
    AdaptableConv2d conv1{nullptr}, conv2{nullptr}, conv_shortcut{nullptr};
    AdaptableLinear time_emb_proj{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

// diffusers' Attention as used in the UNet's transformer blocks (no q/k/v bias) and in the autoencoder's
// mid block (with bias and a group norm in front).
class AttentionImpl : public torch::nn::Module
{
public:
    AttentionImpl(int64_t queryDim, int64_t contextDim, int64_t heads, bool qkvBias);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context = {});

private:
    int64_t m_heads;
    AdaptableLinear to_q{nullptr}, to_k{nullptr}, to_v{nullptr}, m_toOut{nullptr};
};
TORCH_MODULE(Attention);

class BasicTransformerBlockImpl : public torch::nn::Module
{
public:
    BasicTransformerBlockImpl(int64_t dim, int64_t heads, int64_t contextDim);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context);

private:
    torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
    Attention attn1{nullptr}, attn2{nullptr};
    AdaptableLinear m_ffIn{nullptr}, m_ffOut{nullptr};   // ff.net.0.proj (GEGLU) and ff.net.2
};
TORCH_MODULE(BasicTransformerBlock);

// diffusers' Transformer2DModel: group norm, proj_in, transformer blocks, proj_out, residual.
class Transformer2DImpl : public torch::nn::Module
{
public:
    Transformer2DImpl(int64_t channels, int64_t heads, int64_t contextDim, int64_t groups, bool linearProjection);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &context);

private:
    torch::nn::GroupNorm norm{nullptr};
    AdaptableLinear proj_in{nullptr}, proj_out{nullptr};
    BasicTransformerBlock m_block{nullptr};
};
TORCH_MODULE(Transformer2D);

// Stride-2 3x3 convolution; the autoencoder's encoder pads (0, 1, 0, 1) instead of 1 on every side.
class Downsample2DImpl : public torch::nn::Module
{
public:
    Downsample2DImpl(int64_t channels, bool asymmetricPadding);
    at::Tensor forward(const at::Tensor &x);

private:
    bool m_asymmetric;
    AdaptableConv2d conv{nullptr};
};
TORCH_MODULE(Downsample2D);

// Nearest-neighbour upsampling to `size` (2x when empty), then a 3x3 convolution.
class Upsample2DImpl : public torch::nn::Module
{
public:
    explicit Upsample2DImpl(int64_t channels);
    at::Tensor forward(const at::Tensor &x, at::IntArrayRef size = {});

private:
    AdaptableConv2d conv{nullptr};
};
TORCH_MODULE(Upsample2D);

} // namespace redifine
