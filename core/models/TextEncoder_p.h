#pragma once
// Core-internal: the CLIP text transformer (transformers' CLIPTextModel), sized by TextEncoderConfig.

#include "core/models/Layers_p.h"
#include "core/models/ModelConfigs.h"

namespace redifine {

class ClipEncoderLayerImpl : public torch::nn::Module
{
public:
    ClipEncoderLayerImpl(const TextEncoderConfig &config);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &causalMask);

private:
    int64_t m_heads;
    bool m_quickGelu;
    torch::nn::LayerNorm layer_norm1{nullptr}, layer_norm2{nullptr};
    AdaptableLinear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr}, fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

class TextEncoderImpl : public torch::nn::Module
{
public:
    explicit TextEncoderImpl(const TextEncoderConfig &config);
    // Every hidden state: the embedding output, then each layer's output (before the final LayerNorm).
    std::vector<at::Tensor> hiddenStates(const at::Tensor &inputIds);
    // The conditioning Stable Diffusion uses: final_layer_norm(hidden_states[-clipSkip]); clipSkip 1 is the
    // last layer (= last_hidden_state), 2 the penultimate (kohya's and A1111's "CLIP skip 2").
    at::Tensor encode(const at::Tensor &inputIds, int clipSkip = 1);
    const TextEncoderConfig &config() const { return m_config; }

private:
    TextEncoderConfig m_config;
    torch::nn::Embedding m_tokens{nullptr}, m_positions{nullptr};
    std::vector<ClipEncoderLayer> m_layers;
    torch::nn::LayerNorm m_finalNorm{nullptr};
};
TORCH_MODULE(TextEncoder);

} // namespace redifine
