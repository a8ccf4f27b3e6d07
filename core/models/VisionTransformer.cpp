#include "core/models/VisionTransformer_p.h"

#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/io/TensorIo_p.h"
#include "core/models/Layers_p.h"
#include "core/models/StateDict_p.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <cmath>

namespace redifine {

namespace {

int countLayers(const std::map<std::string, at::Tensor> &weights, const std::string &prefix, const std::string &suffix)
{
    int layers = 0;
    while (weights.count(prefix + std::to_string(layers) + suffix))
        ++layers;
    return layers;
}

// Heads cannot be read from tensor shapes: Hugging Face's config.json beside the weights says, under
// `section` ("" for DINOv2, "vision_config" or "text_config" for CLIP); without it, 64-wide heads as in every
// released DINOv2 and CLIP ViT.
int attentionHeads(const QString &modelPath, const QString &section, int width)
{
    QJsonObject config = json::readObjectFile(QFileInfo(modelPath).dir().filePath(QStringLiteral("config.json")));
    if (!section.isEmpty())
        config = config.value(section).toObject();
    const int heads = config.value(QStringLiteral("num_attention_heads")).toInt();
    return heads > 0 && width % heads == 0 ? heads : std::max(1, width / 64);
}

at::Tensor layerNorm(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias, double eps)
{
    return at::layer_norm(x, {x.size(-1)}, weight, bias, eps);
}

} // namespace

VisionTransformer::VisionTransformer(const QString &path, Family family) : m_family(family), m_path(path)
{
    const SafetensorsReader reader(path);
    const std::string prefix = family == Family::DinoV2 ? "" : "vision_model.";
    for (const auto &[name, tensor] : reader.all())
        if (name.rfind(prefix, 0) == 0 || name == "visual_projection.weight")
            m_weights[name] = tensor.to(at::kFloat);
    if (family == Family::DinoV2) {
        // Hugging Face files of Dinov2Model may or may not carry a "dinov2." prefix (Dinov2ForImageClassification).
        std::map<std::string, at::Tensor> stripped;
        for (const auto &[name, tensor] : m_weights)
            stripped[name.rfind("dinov2.", 0) == 0 ? name.substr(7) : name] = tensor;
        m_weights = stripped;
        m_width = int(w("embeddings.cls_token").size(-1));
        m_layers = countLayers(m_weights, "encoder.layer.", ".norm1.weight");
        m_patch = int(w("embeddings.patch_embeddings.projection.weight").size(-1));
        m_eps = 1e-6;
    } else {
        m_width = int(w("vision_model.embeddings.class_embedding").size(0));
        m_layers = countLayers(m_weights, "vision_model.encoder.layers.", ".layer_norm1.weight");
        m_patch = int(w("vision_model.embeddings.patch_embedding.weight").size(-1));
        m_eps = 1e-5;
        w("visual_projection.weight");
    }
    m_heads = attentionHeads(path, family == Family::DinoV2 ? QString() : QStringLiteral("vision_config"), m_width);
    if (m_layers == 0)
        throw InputError(QStringLiteral("%1: not a %2 ViT (no encoder layers)")
                             .arg(path, family == Family::DinoV2 ? QStringLiteral("DINOv2") : QStringLiteral("CLIP"))
                             .toStdString());
}

const at::Tensor &VisionTransformer::w(const std::string &name) const
{
    const auto it = m_weights.find(name);
    if (it == m_weights.end())
        throw InputError(QStringLiteral("%1: missing tensor %2").arg(m_path, QString::fromStdString(name)).toStdString());
    return it->second;
}

at::Tensor VisionTransformer::normalise(const at::Tensor &images) const
{
    const bool dino = m_family == Family::DinoV2;
    const at::Tensor mean = dino ? at::tensor({0.485, 0.456, 0.406}) : at::tensor({0.48145466, 0.4578275, 0.40821073});
    const at::Tensor std = dino ? at::tensor({0.229, 0.224, 0.225}) : at::tensor({0.26862954, 0.26130258, 0.27577711});
    return (images - mean.to(at::kFloat).view({1, 3, 1, 1})) / std.to(at::kFloat).view({1, 3, 1, 1});
}

// DINOv2 was trained at 518 pixels (a 37 x 37 grid); other sizes interpolate the grid bicubically with the
// reference's scale factors (grid + 0.1) / 37, as facebookresearch/dinov2 and transformers do.
at::Tensor VisionTransformer::positions(int64_t gridH, int64_t gridW) const
{
    const at::Tensor &table = w("embeddings.position_embeddings");   // [1, 1 + M*M, D]
    const int64_t m = int64_t(std::lround(std::sqrt(double(table.size(1) - 1))));
    if (m == gridH && m == gridW)
        return table;
    const at::Tensor grid = table.slice(1, 1).reshape({1, m, m, m_width}).permute({0, 3, 1, 2});
    const at::Tensor resized = at::upsample_bicubic2d(grid, {gridH, gridW}, false, (double(gridH) + 0.1) / double(m), (double(gridW) + 0.1) / double(m));
    return at::cat({table.slice(1, 0, 1), resized.permute({0, 2, 3, 1}).reshape({1, gridH * gridW, m_width})}, 1);
}

at::Tensor VisionTransformer::block(const at::Tensor &x, int layer) const
{
    const int64_t heads = m_heads;
    if (m_family == Family::DinoV2) {
        const std::string p = "encoder.layer." + std::to_string(layer) + ".";
        const at::Tensor h = layerNorm(x, w(p + "norm1.weight"), w(p + "norm1.bias"), m_eps);
        const at::Tensor attended = multiHeadAttention(at::linear(h, w(p + "attention.attention.query.weight"), w(p + "attention.attention.query.bias")),
                                                       at::linear(h, w(p + "attention.attention.key.weight"), w(p + "attention.attention.key.bias")),
                                                       at::linear(h, w(p + "attention.attention.value.weight"), w(p + "attention.attention.value.bias")),
                                                       heads);
        const at::Tensor y = x + w(p + "layer_scale1.lambda1") * at::linear(attended, w(p + "attention.output.dense.weight"), w(p + "attention.output.dense.bias"));
        const at::Tensor g = layerNorm(y, w(p + "norm2.weight"), w(p + "norm2.bias"), m_eps);
        const at::Tensor mlp = at::linear(at::gelu(at::linear(g, w(p + "mlp.fc1.weight"), w(p + "mlp.fc1.bias"))), w(p + "mlp.fc2.weight"), w(p + "mlp.fc2.bias"));
        return y + w(p + "layer_scale2.lambda1") * mlp;
    }
    const std::string p = "vision_model.encoder.layers." + std::to_string(layer) + ".";
    const at::Tensor h = layerNorm(x, w(p + "layer_norm1.weight"), w(p + "layer_norm1.bias"), m_eps);
    const at::Tensor attended = multiHeadAttention(at::linear(h, w(p + "self_attn.q_proj.weight"), w(p + "self_attn.q_proj.bias")),
                                                   at::linear(h, w(p + "self_attn.k_proj.weight"), w(p + "self_attn.k_proj.bias")),
                                                   at::linear(h, w(p + "self_attn.v_proj.weight"), w(p + "self_attn.v_proj.bias")), heads);
    const at::Tensor y = x + at::linear(attended, w(p + "self_attn.out_proj.weight"), w(p + "self_attn.out_proj.bias"));
    const at::Tensor g = layerNorm(y, w(p + "layer_norm2.weight"), w(p + "layer_norm2.bias"), m_eps);
    const at::Tensor up = at::linear(g, w(p + "mlp.fc1.weight"), w(p + "mlp.fc1.bias"));
    const at::Tensor quickGelu = up * at::sigmoid(1.702 * up);
    return y + at::linear(quickGelu, w(p + "mlp.fc2.weight"), w(p + "mlp.fc2.bias"));
}

at::Tensor VisionTransformer::forward(const at::Tensor &pixels) const
{
    const at::NoGradGuard noGrad;
    const int64_t batch = pixels.size(0);
    if (m_family == Family::DinoV2) {
        const at::Tensor patches = at::conv2d(pixels, w("embeddings.patch_embeddings.projection.weight"),
                                              w("embeddings.patch_embeddings.projection.bias"), {m_patch, m_patch});
        const int64_t gh = patches.size(2), gw = patches.size(3);
        at::Tensor x = at::cat({w("embeddings.cls_token").expand({batch, 1, m_width}), patches.flatten(2).transpose(1, 2)}, 1) + positions(gh, gw);
        for (int layer = 0; layer < m_layers; ++layer)
            x = block(x, layer);
        return layerNorm(x, w("layernorm.weight"), w("layernorm.bias"), m_eps).select(1, 0);
    }
    const at::Tensor patches = at::conv2d(pixels, w("vision_model.embeddings.patch_embedding.weight"), {}, {m_patch, m_patch});
    at::Tensor x = at::cat({w("vision_model.embeddings.class_embedding").view({1, 1, m_width}).expand({batch, 1, m_width}),
                            patches.flatten(2).transpose(1, 2)},
                           1)
                   + w("vision_model.embeddings.position_embedding.weight").unsqueeze(0);
    x = layerNorm(x, w("vision_model.pre_layrnorm.weight"), w("vision_model.pre_layrnorm.bias"), m_eps);
    for (int layer = 0; layer < m_layers; ++layer)
        x = block(x, layer);
    const at::Tensor pooled = layerNorm(x.select(1, 0), w("vision_model.post_layernorm.weight"), w("vision_model.post_layernorm.bias"), m_eps);
    return at::linear(pooled, w("visual_projection.weight"));
}

ClipTextTower::ClipTextTower(const QString &path)
{
    const SafetensorsReader reader(path);
    if (!reader.contains("text_model.embeddings.token_embedding.weight") || !reader.contains("text_projection.weight"))
        throw InputError(QStringLiteral("%1: not a CLIP model (text_model.* and text_projection.weight are needed for the CLIP score)").arg(path).toStdString());
    TextEncoderConfig config;
    const at::Tensor tokens = reader.tensor("text_model.embeddings.token_embedding.weight");
    config.vocabSize = int(tokens.size(0));
    config.hiddenSize = int(tokens.size(1));
    config.maxPositions = int(reader.tensor("text_model.embeddings.position_embedding.weight").size(0));
    config.intermediateSize = int(reader.tensor("text_model.encoder.layers.0.mlp.fc1.weight").size(0));
    config.layers = 0;
    while (reader.contains("text_model.encoder.layers." + std::to_string(config.layers) + ".layer_norm1.weight"))
        ++config.layers;
    config.heads = attentionHeads(path, QStringLiteral("text_config"), config.hiddenSize);
    config.activation = QStringLiteral("quick_gelu");
    m_encoder = TextEncoder(config);
    loadWeights(*m_encoder, reader, "", path);
    m_encoder->eval();
    m_projection = reader.tensor("text_projection.weight").to(at::kFloat);
}

at::Tensor ClipTextTower::forward(const at::Tensor &inputIds)
{
    const at::NoGradGuard noGrad;
    const at::Tensor hidden = m_encoder->encode(inputIds, 1);
    // Pooled at the end-of-text token: the highest id in CLIP's vocabulary, so argmax finds its first place.
    const at::Tensor eos = inputIds.argmax(1);
    const at::Tensor pooled = hidden.index({at::arange(hidden.size(0)), eos});
    return at::linear(pooled, m_projection);
}

} // namespace redifine
