#include "core/models/TextEncoder_p.h"

#include "core/common/Error.h"

namespace redifine {

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const TextEncoderConfig &config)
    : m_heads(config.heads)
    , m_quickGelu(config.activation == QLatin1String("quick_gelu"))
{
    const int64_t d = config.hiddenSize;
    const auto norm = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(config.layerNormEps)); };
    auto attention = std::make_shared<torch::nn::Module>();
    k_proj = attention->register_module("k_proj", AdaptableLinear(d, d, true));
    v_proj = attention->register_module("v_proj", AdaptableLinear(d, d, true));
    q_proj = attention->register_module("q_proj", AdaptableLinear(d, d, true));
    out_proj = attention->register_module("out_proj", AdaptableLinear(d, d, true));
    register_module("self_attn", attention);
    layer_norm1 = register_module("layer_norm1", norm());
    auto mlp = std::make_shared<torch::nn::Module>();
    fc1 = mlp->register_module("fc1", AdaptableLinear(d, config.intermediateSize, true));
    fc2 = mlp->register_module("fc2", AdaptableLinear(config.intermediateSize, d, true));
    register_module("mlp", mlp);
    layer_norm2 = register_module("layer_norm2", norm());
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor &x, const at::Tensor &causalMask)
{
    const at::Tensor h = layer_norm1(x);
    at::Tensor y = x + out_proj(multiHeadAttention(q_proj(h), k_proj(h), v_proj(h), m_heads, causalMask));
    const at::Tensor m = fc1(layer_norm2(y));
    const at::Tensor activated = m_quickGelu ? m * at::sigmoid(1.702 * m) : at::gelu(m);
    return y + fc2(activated);
}

TextEncoderImpl::TextEncoderImpl(const TextEncoderConfig &config)
    : m_config(config)
{
    auto textModel = std::make_shared<torch::nn::Module>();
    auto embeddings = std::make_shared<torch::nn::Module>();
    m_tokens = embeddings->register_module("token_embedding", torch::nn::Embedding(config.vocabSize, config.hiddenSize));
    m_positions = embeddings->register_module("position_embedding", torch::nn::Embedding(config.maxPositions, config.hiddenSize));
    textModel->register_module("embeddings", embeddings);
    auto encoder = std::make_shared<torch::nn::Module>();
    torch::nn::ModuleList layers;
    for (int i = 0; i < config.layers; ++i) {
        m_layers.push_back(ClipEncoderLayer(config));
        layers->push_back(m_layers.back());
    }
    encoder->register_module("layers", layers);
    textModel->register_module("encoder", encoder);
    m_finalNorm = textModel->register_module(
        "final_layer_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hiddenSize}).eps(config.layerNormEps)));
    register_module("text_model", textModel);
}

std::vector<at::Tensor> TextEncoderImpl::hiddenStates(const at::Tensor &inputIds)
{
    const int64_t length = inputIds.size(1);
    if (length > m_config.maxPositions)
        throw InputError("text encoder: " + std::to_string(length) + " tokens exceed the model's "
                         + std::to_string(m_config.maxPositions) + " positions");
    const at::Tensor ids = inputIds.to(m_tokens->weight.device());
    const at::Tensor positions = at::arange(length, ids.options().dtype(at::kLong));
    at::Tensor h = m_tokens(ids) + m_positions(positions).unsqueeze(0);
    // Causal mask: a token attends to itself and earlier tokens only.
    const at::Tensor mask = at::full({length, length}, -std::numeric_limits<float>::infinity(), h.options()).triu(1);
    std::vector<at::Tensor> states{h};
    for (ClipEncoderLayer &layer : m_layers) {
        h = layer(h, mask);
        states.push_back(h);
    }
    return states;
}

at::Tensor TextEncoderImpl::encode(const at::Tensor &inputIds, int clipSkip)
{
    if (clipSkip < 1 || clipSkip > m_config.layers)
        throw InputError("clip_skip: must be between 1 and " + std::to_string(m_config.layers) + ", got "
                         + std::to_string(clipSkip));
    const std::vector<at::Tensor> states = hiddenStates(inputIds);
    return m_finalNorm(states[states.size() - size_t(clipSkip)]);
}

} // namespace redifine
