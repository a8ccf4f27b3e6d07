#include "core/models/TinyClip_p.h"

#include "core/common/Error.h"
#include "core/io/TensorIo_p.h"
#include "core/models/StateDict_p.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace redifine {

QJsonObject TinyClipConfig::toJson() const
{
    QJsonArray channelArray;
    for (int c : channels)
        channelArray.append(c);
    return QJsonObject{{QStringLiteral("resolution"), resolution}, {QStringLiteral("channels"), channelArray},
                       {QStringLiteral("word_dim"), wordDim},      {QStringLiteral("embed_dim"), embedDim},
                       {QStringLiteral("max_tokens"), maxTokens},  {QStringLiteral("vocabulary"), vocabulary}};
}

TinyClipConfig TinyClipConfig::fromJson(const QJsonObject &o, const QString &context)
{
    TinyClipConfig c;
    c.resolution = o.value(QStringLiteral("resolution")).toInt(c.resolution);
    c.channels.clear();
    for (const QJsonValue &v : o.value(QStringLiteral("channels")).toArray())
        c.channels.push_back(v.toInt());
    c.wordDim = o.value(QStringLiteral("word_dim")).toInt(c.wordDim);
    c.embedDim = o.value(QStringLiteral("embed_dim")).toInt(c.embedDim);
    c.maxTokens = o.value(QStringLiteral("max_tokens")).toInt(c.maxTokens);
    c.vocabulary = o.value(QStringLiteral("vocabulary")).toArray();
    if (c.channels.empty() || c.embedDim < 1 || c.wordDim < 1 || c.maxTokens < 3 || c.vocabulary.isEmpty())
        throw InputError(QStringLiteral("%1: not a tiny-clip config (channels, embed_dim, word_dim, max_tokens, vocabulary)")
                             .arg(context)
                             .toStdString());
    return c;
}

TinyClipImpl::TinyClipImpl(const TinyClipConfig &config, uint64_t seed)
    : m_config(config), m_tokenizer(WordTokenizer::fromJson(config.vocabulary, config.maxTokens, QStringLiteral("tiny-clip vocabulary")))
{
    at::manual_seed(seed);
    namespace nn = torch::nn;
    image_tower = nn::Sequential();
    int in = 3;
    for (int channels : config.channels) {
        image_tower->push_back(nn::Conv2d(nn::Conv2dOptions(in, channels, 3).stride(2).padding(1)));
        image_tower->push_back(nn::GroupNorm(nn::GroupNormOptions(8, channels)));
        image_tower->push_back(nn::SiLU());
        image_tower->push_back(nn::Conv2d(nn::Conv2dOptions(channels, channels, 3).padding(1)));
        image_tower->push_back(nn::GroupNorm(nn::GroupNormOptions(8, channels)));
        image_tower->push_back(nn::SiLU());
        in = channels;
    }
    register_module("image_tower", image_tower);
    image_projection = register_module("image_projection", nn::Linear(in, config.embedDim));
    word_embedding = register_module("word_embedding", nn::Embedding(m_tokenizer.vocabularySize(), config.wordDim));
    text_mlp = register_module("text_mlp", nn::Sequential(nn::Linear(config.wordDim, config.wordDim), nn::SiLU(),
                                                          nn::Linear(config.wordDim, config.embedDim)));
    // CLIP's initial temperature 0.07.
    logit_scale = register_parameter("logit_scale", at::full({}, std::log(1.0 / 0.07)));
}

at::Tensor TinyClipImpl::encodeImages(const at::Tensor &images)
{
    return image_projection(image_tower->forward(images).mean({2, 3}));
}

at::Tensor TinyClipImpl::encodeTokens(const at::Tensor &tokens)
{
    // Mean over the words, leaving out padding and the BOS/EOS markers that every caption shares.
    const at::Tensor mask = (tokens > WordTokenizer::kEos).to(at::kFloat).unsqueeze(-1);
    const at::Tensor words = (word_embedding(tokens) * mask).sum(1) / mask.sum(1).clamp_min(1.0);
    return text_mlp->forward(words);
}

at::Tensor TinyClipImpl::tokenize(const QStringList &captions) const
{
    std::vector<int64_t> ids;
    for (const QString &caption : captions) {
        const std::vector<int64_t> one = m_tokenizer.encode(caption);
        ids.insert(ids.end(), one.begin(), one.end());
    }
    return at::tensor(ids, at::kLong).view({int64_t(captions.size()), m_config.maxTokens});
}

at::Tensor TinyClipImpl::contrastiveLoss(const at::Tensor &imageEmbeddings, const at::Tensor &textEmbeddings)
{
    const at::Tensor image = imageEmbeddings / imageEmbeddings.norm(2, 1, true);
    const at::Tensor text = textEmbeddings / textEmbeddings.norm(2, 1, true);
    const at::Tensor logits = at::matmul(image, text.t()) * logit_scale.clamp_max(std::log(100.0)).exp();
    const at::Tensor targets = at::arange(logits.size(0), at::TensorOptions().dtype(at::kLong).device(logits.device()));
    return (at::cross_entropy_loss(logits, targets) + at::cross_entropy_loss(logits.t(), targets)) / 2.0;
}

void TinyClipImpl::save(const QString &path, at::ScalarType dtype) const
{
    NamedTensors tensors = weightsOf(*this, {}, dtype);
    writeSafetensors(path, tensors,
                     {{"redifine_tiny_clip_config", QJsonDocument(m_config.toJson()).toJson(QJsonDocument::Compact).toStdString()}});
}

std::shared_ptr<TinyClipImpl> TinyClipImpl::load(const QString &path)
{
    const SafetensorsReader reader(path);
    const auto it = reader.header().metadata.find("redifine_tiny_clip_config");
    if (it == reader.header().metadata.end())
        throw InputError(QStringLiteral("%1: not a tiny-clip model (no redifine_tiny_clip_config metadata)").arg(path).toStdString());
    const TinyClipConfig config = TinyClipConfig::fromJson(QJsonDocument::fromJson(QByteArray::fromStdString(it->second)).object(), path);
    auto model = std::make_shared<TinyClipImpl>(config, 0);
    loadWeights(*model, reader, std::string(), path);
    model->eval();
    return model;
}

} // namespace redifine
