#include "core/models/LatentDiffusion_p.h"

#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/models/CpuBf16_p.h"
#include "core/models/CudaAutocast_p.h"
#include "core/models/StableDiffusionCheckpoint_p.h"
#include "core/models/StateDict_p.h"

#include <QJsonDocument>

namespace redifine {

LatentDiffusion::LatentDiffusion(const LatentDiffusionConfig &config, uint64_t seed)
    : m_config(config)
{
    if (config.family != QLatin1String("tiny"))
        throw InputError("model.family: only the tiny family is built from a config so far");
    m_tokenizer = WordTokenizer::fromJson(config.vocabulary.isEmpty()
                                              ? WordTokenizer::build({}, config.maxTokens).toJson()
                                              : config.vocabulary,
                                          config.maxTokens, QStringLiteral("model.vocabulary"));
    m_config.vocabulary = m_tokenizer.toJson();
    m_config.textEncoder.vocabSize = m_tokenizer.vocabularySize();
    m_config.textEncoder.maxPositions = config.maxTokens;
    torch::manual_seed(seed);
    unet = UNet(m_config.unet);
    textEncoder = TextEncoder(m_config.textEncoder);
    vae = Autoencoder(m_config.vae);
}

std::unique_ptr<LatentDiffusion> LatentDiffusion::load(const QString &path, const at::Device &device)
{
    const SafetensorsReader reader(path);
    const auto it = reader.header().metadata.find("redifine_config");
    if (it == reader.header().metadata.end())
        throw InputError(QStringLiteral("%1: not a ReDiFine model file (no redifine_config metadata)").arg(path).toStdString());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(it->second), &error);
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: redifine_config is not a JSON object").arg(path).toStdString());
    const LatentDiffusionConfig config = LatentDiffusionConfig::fromJson(document.object(), path + QStringLiteral(": model"));
    auto model = std::make_unique<LatentDiffusion>(config, 0);
    loadWeights(*model->unet, reader, "unet.", QStringLiteral("UNet"));
    loadWeights(*model->textEncoder, reader, "text_encoder.", QStringLiteral("text encoder"));
    loadWeights(*model->vae, reader, "vae.", QStringLiteral("autoencoder"));
    model->to(device);
    return model;
}

std::unique_ptr<LatentDiffusion> LatentDiffusion::loadStableDiffusion(const QString &path, int resolution, const at::Device &device)
{
    return fromStableDiffusion(redifine::loadStableDiffusion(path), resolution, device, path);
}

std::unique_ptr<LatentDiffusion> LatentDiffusion::load(const ModelSource &source)
{
    return source.stableDiffusion ? loadStableDiffusion(source.path, source.resolution) : load(source.path);
}

std::unique_ptr<LatentDiffusion> LatentDiffusion::fromStableDiffusion(StableDiffusionWeights weights, int resolution,
                                                                      const at::Device &device, const QString &path)
{
    std::unique_ptr<LatentDiffusion> model(new LatentDiffusion);
    LatentDiffusionConfig &c = model->m_config;
    c.family = QStringLiteral("sd15");
    c.unet = weights.unetConfig;
    c.vae = weights.vaeConfig;
    c.textEncoder = weights.textConfig;
    c.resolution = resolution;
    c.maxTokens = ClipTokenizer::kContextLength;
    const int vaeFactor = 1 << (int(c.vae.blockOutChannels.size()) - 1);
    const int unetFactor = 1 << (int(c.unet.blockOutChannels.size()) - 1);
    if (resolution <= 0 || resolution % (vaeFactor * unetFactor) != 0)
        throw InputError(QStringLiteral("model.resolution: %1 must be a positive multiple of %2 for %3 (the autoencoder "
                                        "divides by %4, the UNet by %5)")
                             .arg(resolution).arg(vaeFactor * unetFactor).arg(path).arg(vaeFactor).arg(unetFactor)
                             .toStdString());
    if (c.textEncoder.maxPositions < c.maxTokens)
        throw InputError(QStringLiteral("%1: the text encoder has %2 positions; SD1.x prompts need 77").arg(path).arg(c.textEncoder.maxPositions).toStdString());
    const QString vocab = weights.vocabPath.isEmpty() ? findResource(QStringLiteral("tokenizers/clip-vit-large-patch14/vocab.json")) : weights.vocabPath;
    const QString merges = weights.mergesPath.isEmpty() ? findResource(QStringLiteral("tokenizers/clip-vit-large-patch14/merges.txt")) : weights.mergesPath;
    if (vocab.isEmpty() || merges.isEmpty())
        throw InputError("the CLIP tokenizer (share/redifine-studio/tokenizers/clip-vit-large-patch14) is not installed");
    model->m_clip = std::make_shared<const ClipTokenizer>(vocab, merges);
    if (model->m_clip->vocabularySize() > c.textEncoder.vocabSize)
        throw InputError(QStringLiteral("%1: the text encoder knows %2 tokens, fewer than the tokenizer's %3")
                             .arg(path).arg(c.textEncoder.vocabSize).arg(model->m_clip->vocabularySize()).toStdString());
    model->unet = weights.unet;
    model->textEncoder = weights.textEncoder;
    model->vae = weights.vae;
    model->to(device);
    return model;
}

void LatentDiffusion::save(const QString &path, at::ScalarType dtype) const
{
    if (m_config.family != QLatin1String("tiny"))
        throw InputError(QStringLiteral("%1: only tiny-family models are saved whole; save the LoRA adapter instead").arg(path).toStdString());
    NamedTensors tensors = weightsOf(*unet, "unet.", dtype);
    for (auto &t : weightsOf(*textEncoder, "text_encoder.", dtype))
        tensors.push_back(std::move(t));
    for (auto &t : weightsOf(*vae, "vae.", dtype))
        tensors.push_back(std::move(t));
    const QByteArray config = QJsonDocument(m_config.toJson()).toJson(QJsonDocument::Compact);
    writeSafetensors(path, tensors, {{"redifine_config", config.toStdString()}, {"redifine_family", m_config.family.toStdString()}});
}

void LatentDiffusion::to(const at::Device &device)
{
    m_device = device;
    // On CUDA the UNet's weights are stored in fp16, as diffusers' fp16 pipelines hold them: its compute runs in
    // fp16 anyway (predictNoise), and fp32 weights would be re-cast on every call (about 5 GB of memory traffic
    // per SD1.5 step; autocast caches casts of trainable weights only). Chains train adapters, never these
    // weights. The text encoder and the autoencoder run once per batch and stay in fp32.
    unet->to(device, device.is_cuda() ? at::kHalf : at::kFloat);
    textEncoder->to(device);
    vae->to(device);
}

at::Tensor LatentDiffusion::tokenize(const QStringList &prompts) const
{
    std::vector<int64_t> ids;
    for (const QString &prompt : prompts) {
        const std::vector<int64_t> one = m_clip ? m_clip->encode(prompt) : m_tokenizer.encode(prompt);
        ids.insert(ids.end(), one.begin(), one.end());
    }
    return at::tensor(ids, at::kLong).view({int64_t(prompts.size()), int64_t(m_config.maxTokens)});
}

at::Tensor LatentDiffusion::encodeText(const QStringList &prompts, int clipSkip)
{
    const CpuBf16Scope bf16(m_cpuBf16);
    return textEncoder->encode(tokenize(prompts).to(m_device), clipSkip);
}

at::Tensor LatentDiffusion::predictNoise(const at::Tensor &latents, const at::Tensor &timesteps, const at::Tensor &context)
{
    // fp16 weights on CUDA (to()) need autocast; the prediction comes back in fp32 for samplers and losses.
    const CudaAutocast autocast(m_device.is_cuda());
    const CpuBf16Scope bf16(m_cpuBf16);
    return unet->forward(latents, timesteps, context).to(at::kFloat);
}

at::Tensor LatentDiffusion::encodeImages(const at::Tensor &images, const at::Tensor &unitNoise)
{
    const LatentDistribution dist = vae->encode(images.to(m_device));
    const at::Tensor latents = unitNoise.defined() ? dist.sample(unitNoise.to(m_device)) : dist.mean;
    return latents * m_config.vae.scalingFactor;
}

at::Tensor LatentDiffusion::decodeLatents(const at::Tensor &scaledLatents)
{
    return vae->decode(scaledLatents.to(m_device) / m_config.vae.scalingFactor);
}

} // namespace redifine
