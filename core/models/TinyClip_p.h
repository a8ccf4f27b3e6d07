#pragma once
// Core-internal: tiny-clip, the embedded default feature extractor. A small image-text contrastive model
// (Radford et al.'s CLIP loss) trained on the emoji data, independent of the generator, whose image
// embeddings serve the Frechet distance, SFD and t-SNE of the tiny family and whose image-text cosine
// serves its CLIP score.

#include "core/models/WordTokenizer.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include <QJsonObject>

#include <memory>
#include <vector>

namespace redifine {

struct TinyClipConfig
{
    int resolution = 64;
    std::vector<int> channels{32, 64, 128, 256};   // a stride-2 stage per entry: 64 -> 4 pixels
    int wordDim = 256;
    int embedDim = 256;
    int maxTokens = 24;
    QJsonArray vocabulary;

    QJsonObject toJson() const;
    static TinyClipConfig fromJson(const QJsonObject &object, const QString &context);
};

// Image tower: a plain CNN (conv, GroupNorm, SiLU; a stride-2 stage per channel entry), global average pool,
// linear projection. Text tower: mean of word embeddings over the caption's tokens, then a two-layer MLP.
class TinyClipImpl : public torch::nn::Module
{
public:
    TinyClipImpl(const TinyClipConfig &config, uint64_t seed);

    // images [B, 3, H, W] in [-1, 1] -> [B, embedDim], not normalised (the features FD uses)
    at::Tensor encodeImages(const at::Tensor &images);
    // token ids [B, maxTokens] -> [B, embedDim], not normalised
    at::Tensor encodeTokens(const at::Tensor &tokens);
    at::Tensor tokenize(const QStringList &captions) const;
    // Symmetric cross-entropy over the batch's image-text cosine matrix scaled by exp(logit_scale).
    at::Tensor contrastiveLoss(const at::Tensor &imageEmbeddings, const at::Tensor &textEmbeddings);

    const TinyClipConfig &config() const { return m_config; }
    at::Tensor logitScale() const { return logit_scale; }

    void save(const QString &path, at::ScalarType dtype = at::kHalf) const;
    static std::shared_ptr<TinyClipImpl> load(const QString &path);

private:
    TinyClipConfig m_config;
    WordTokenizer m_tokenizer;
    torch::nn::Sequential image_tower{nullptr};
    torch::nn::Linear image_projection{nullptr};
    torch::nn::Embedding word_embedding{nullptr};
    torch::nn::Sequential text_mlp{nullptr};
    at::Tensor logit_scale;
};
TORCH_MODULE(TinyClip);

} // namespace redifine
