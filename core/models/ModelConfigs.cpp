#include "core/models/ModelConfigs.h"

#include "core/common/Error.h"
#include "core/common/Json.h"

#include <QJsonArray>

namespace redifine {

namespace {

[[noreturn]] void fail(const QString &context, const QString &key, const QString &problem)
{
    throw InputError(QStringLiteral("%1.%2: %3").arg(context, key, problem).toStdString());
}

// Sizes beyond these are no model this product can run (SD1.5's widest layer has 1280 channels): a config that
// asks for more is refused before any allocation instead of reserving hundreds of gigabytes.
constexpr int kMaxSize = 8192;
constexpr int kMaxBlocks = 8;
constexpr double kMaxParameters = 4e9;

int positiveInt(const QJsonObject &o, const QString &key, const QString &context, int fallback, int maximum = kMaxSize)
{
    if (!o.contains(key))
        return fallback;
    const double v = json::requireNumber(o, key, context);
    if (v < 1 || v > maximum || v != double(int(v)))
        fail(context, key, QStringLiteral("must be an integer from 1 to %1").arg(maximum));
    return int(v);
}

std::vector<int> intList(const QJsonObject &o, const QString &key, const QString &context, std::vector<int> fallback)
{
    if (!o.contains(key))
        return fallback;
    const QJsonArray array = json::requireArray(o, key, context);
    std::vector<int> out;
    for (const QJsonValue &v : array) {
        if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() > kMaxSize || v.toDouble() != double(int(v.toDouble())))
            fail(context, key, QStringLiteral("must be a list of integers from 1 to %1").arg(kMaxSize));
        out.push_back(v.toInt());
    }
    if (out.empty() || out.size() > size_t(kMaxBlocks))
        fail(context, key, QStringLiteral("must hold 1 to %1 entries").arg(kMaxBlocks));
    return out;
}

QJsonArray toArray(const std::vector<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return array;
}

} // namespace

UNetConfig UNetConfig::fromJson(const QJsonObject &o, const QString &context)
{
    UNetConfig c;
    c.inChannels = positiveInt(o, QStringLiteral("in_channels"), context, c.inChannels);
    c.outChannels = positiveInt(o, QStringLiteral("out_channels"), context, c.outChannels);
    c.blockOutChannels = intList(o, QStringLiteral("block_out_channels"), context, c.blockOutChannels);
    c.layersPerBlock = positiveInt(o, QStringLiteral("layers_per_block"), context, c.layersPerBlock);
    c.normGroups = positiveInt(o, QStringLiteral("norm_num_groups"), context, c.normGroups);
    if (o.contains(QStringLiteral("norm_eps")))
        c.normEps = json::requireNumber(o, QStringLiteral("norm_eps"), context);
    c.crossAttentionDim = positiveInt(o, QStringLiteral("cross_attention_dim"), context, c.crossAttentionDim);
    const size_t blocks = c.blockOutChannels.size();
    const QJsonValue heads = o.value(QStringLiteral("attention_head_dim"));
    if (heads.isDouble())
        c.attentionHeads.assign(blocks, heads.toInt());
    else if (heads.isArray())
        c.attentionHeads = intList(o, QStringLiteral("attention_head_dim"), context, {});
    else
        c.attentionHeads.assign(blocks, c.attentionHeads.front());
    if (c.attentionHeads.size() != blocks)
        fail(context, QStringLiteral("attention_head_dim"), QStringLiteral("needs one entry per block"));
    if (o.contains(QStringLiteral("flip_sin_to_cos")))
        c.flipSinToCos = o.value(QStringLiteral("flip_sin_to_cos")).toBool();
    if (o.contains(QStringLiteral("freq_shift")))
        c.freqShift = int(json::requireNumber(o, QStringLiteral("freq_shift"), context));
    if (o.contains(QStringLiteral("use_linear_projection")))
        c.useLinearProjection = o.value(QStringLiteral("use_linear_projection")).toBool();

    c.crossAttention.assign(blocks, true);
    c.crossAttention.back() = false;
    if (o.contains(QStringLiteral("down_block_types"))) {
        const QJsonArray down = json::requireArray(o, QStringLiteral("down_block_types"), context);
        if (size_t(down.size()) != blocks)
            fail(context, QStringLiteral("down_block_types"), QStringLiteral("needs one entry per block_out_channels entry"));
        for (qsizetype i = 0; i < down.size(); ++i) {
            const QString type = down.at(i).toString();
            if (type != QLatin1String("CrossAttnDownBlock2D") && type != QLatin1String("DownBlock2D"))
                fail(context, QStringLiteral("down_block_types[%1]").arg(i),
                     QStringLiteral("unsupported block \"%1\"").arg(type));
            c.crossAttention[size_t(i)] = type == QLatin1String("CrossAttnDownBlock2D");
        }
    }
    if (o.contains(QStringLiteral("up_block_types"))) {
        const QJsonArray up = json::requireArray(o, QStringLiteral("up_block_types"), context);
        for (qsizetype i = 0; i < up.size(); ++i) {
            const bool cross = c.crossAttention[blocks - 1 - size_t(i)];
            const QString expected = cross ? QStringLiteral("CrossAttnUpBlock2D") : QStringLiteral("UpBlock2D");
            if (size_t(up.size()) != blocks || up.at(i).toString() != expected)
                fail(context, QStringLiteral("up_block_types[%1]").arg(i),
                     QStringLiteral("must mirror down_block_types (expected %1)").arg(expected));
        }
    }
    double parameters = 0.0;
    for (size_t i = 0; i < blocks; ++i) {
        const int channels = c.blockOutChannels[i];
        if (channels % c.normGroups != 0)
            fail(context, QStringLiteral("block_out_channels"),
                 QStringLiteral("%1 is not divisible by norm_num_groups %2").arg(channels).arg(c.normGroups));
        if (c.crossAttention[i] && channels % c.attentionHeads[i] != 0)
            fail(context, QStringLiteral("attention_head_dim"),
                 QStringLiteral("%1 heads do not divide the block's %2 channels").arg(c.attentionHeads[i]).arg(channels));
        // Down and up blocks: 3 x 3 convolutions and attention, about 40 c^2 weights per layer (SD1.5: within 30%).
        parameters += 40.0 * double(c.layersPerBlock + 1) * double(channels) * double(channels);
    }
    if (parameters > kMaxParameters)
        fail(context, QStringLiteral("block_out_channels"),
             QStringLiteral("a UNet of these sizes has about %1 billion weights, more than the %2 billion this product runs")
                 .arg(parameters / 1e9, 0, 'f', 1)
                 .arg(kMaxParameters / 1e9, 0, 'f', 0));
    return c;
}

QJsonObject UNetConfig::toJson() const
{
    QJsonArray down, up;
    for (bool cross : crossAttention)
        down.append(cross ? QStringLiteral("CrossAttnDownBlock2D") : QStringLiteral("DownBlock2D"));
    for (auto it = crossAttention.rbegin(); it != crossAttention.rend(); ++it)
        up.append(*it ? QStringLiteral("CrossAttnUpBlock2D") : QStringLiteral("UpBlock2D"));
    return QJsonObject{{QStringLiteral("_class_name"), QStringLiteral("UNet2DConditionModel")},
                       {QStringLiteral("in_channels"), inChannels},
                       {QStringLiteral("out_channels"), outChannels},
                       {QStringLiteral("block_out_channels"), toArray(blockOutChannels)},
                       {QStringLiteral("down_block_types"), down},
                       {QStringLiteral("up_block_types"), up},
                       {QStringLiteral("layers_per_block"), layersPerBlock},
                       {QStringLiteral("norm_num_groups"), normGroups},
                       {QStringLiteral("norm_eps"), normEps},
                       {QStringLiteral("cross_attention_dim"), crossAttentionDim},
                       {QStringLiteral("attention_head_dim"), toArray(attentionHeads)},
                       {QStringLiteral("flip_sin_to_cos"), flipSinToCos},
                       {QStringLiteral("freq_shift"), freqShift},
                       {QStringLiteral("use_linear_projection"), useLinearProjection}};
}

VaeConfig VaeConfig::fromJson(const QJsonObject &o, const QString &context)
{
    VaeConfig c;
    c.inChannels = positiveInt(o, QStringLiteral("in_channels"), context, c.inChannels);
    c.outChannels = positiveInt(o, QStringLiteral("out_channels"), context, c.outChannels);
    c.blockOutChannels = intList(o, QStringLiteral("block_out_channels"), context, c.blockOutChannels);
    c.layersPerBlock = positiveInt(o, QStringLiteral("layers_per_block"), context, c.layersPerBlock);
    c.latentChannels = positiveInt(o, QStringLiteral("latent_channels"), context, c.latentChannels);
    c.normGroups = positiveInt(o, QStringLiteral("norm_num_groups"), context, c.normGroups);
    if (o.contains(QStringLiteral("scaling_factor")))
        c.scalingFactor = json::requireNumber(o, QStringLiteral("scaling_factor"), context);
    if (!(c.scalingFactor > 0 && c.scalingFactor < 1e6))
        fail(context, QStringLiteral("scaling_factor"), QStringLiteral("must be positive and finite"));
    for (int channels : c.blockOutChannels)
        if (channels % c.normGroups != 0)
            fail(context, QStringLiteral("block_out_channels"),
                 QStringLiteral("%1 is not divisible by norm_num_groups %2").arg(channels).arg(c.normGroups));
    return c;
}

QJsonObject VaeConfig::toJson() const
{
    return QJsonObject{{QStringLiteral("_class_name"), QStringLiteral("AutoencoderKL")},
                       {QStringLiteral("in_channels"), inChannels},
                       {QStringLiteral("out_channels"), outChannels},
                       {QStringLiteral("block_out_channels"), toArray(blockOutChannels)},
                       {QStringLiteral("layers_per_block"), layersPerBlock},
                       {QStringLiteral("latent_channels"), latentChannels},
                       {QStringLiteral("norm_num_groups"), normGroups},
                       {QStringLiteral("scaling_factor"), scalingFactor}};
}

TextEncoderConfig TextEncoderConfig::fromJson(const QJsonObject &o, const QString &context)
{
    TextEncoderConfig c;
    c.vocabSize = positiveInt(o, QStringLiteral("vocab_size"), context, c.vocabSize, 1 << 20);
    c.hiddenSize = positiveInt(o, QStringLiteral("hidden_size"), context, c.hiddenSize);
    c.intermediateSize = positiveInt(o, QStringLiteral("intermediate_size"), context, c.intermediateSize);
    c.layers = positiveInt(o, QStringLiteral("num_hidden_layers"), context, c.layers);
    c.heads = positiveInt(o, QStringLiteral("num_attention_heads"), context, c.heads);
    c.maxPositions = positiveInt(o, QStringLiteral("max_position_embeddings"), context, c.maxPositions);
    if (o.contains(QStringLiteral("hidden_act")))
        c.activation = json::requireString(o, QStringLiteral("hidden_act"), context);
    if (c.activation != QLatin1String("quick_gelu") && c.activation != QLatin1String("gelu"))
        fail(context, QStringLiteral("hidden_act"), QStringLiteral("must be quick_gelu or gelu"));
    if (o.contains(QStringLiteral("layer_norm_eps")))
        c.layerNormEps = json::requireNumber(o, QStringLiteral("layer_norm_eps"), context);
    if (c.hiddenSize % c.heads != 0)
        fail(context, QStringLiteral("num_attention_heads"), QStringLiteral("must divide hidden_size"));
    if (c.layers > 96)
        fail(context, QStringLiteral("num_hidden_layers"), QStringLiteral("must be at most 96"));
    const double parameters = double(c.vocabSize) * c.hiddenSize + double(c.layers) * (4.0 * c.hiddenSize + 2.0 * c.intermediateSize) * c.hiddenSize;
    if (parameters > kMaxParameters)
        fail(context, QStringLiteral("hidden_size"), QStringLiteral("a text encoder of these sizes has about %1 billion weights, more than this product runs")
                                                       .arg(parameters / 1e9, 0, 'f', 1));
    return c;
}

QJsonObject TextEncoderConfig::toJson() const
{
    return QJsonObject{{QStringLiteral("model_type"), QStringLiteral("clip_text_model")},
                       {QStringLiteral("vocab_size"), vocabSize},
                       {QStringLiteral("hidden_size"), hiddenSize},
                       {QStringLiteral("intermediate_size"), intermediateSize},
                       {QStringLiteral("num_hidden_layers"), layers},
                       {QStringLiteral("num_attention_heads"), heads},
                       {QStringLiteral("max_position_embeddings"), maxPositions},
                       {QStringLiteral("hidden_act"), activation},
                       {QStringLiteral("layer_norm_eps"), layerNormEps}};
}

} // namespace redifine

namespace redifine {

LatentDiffusionConfig LatentDiffusionConfig::tinyDefault()
{
    LatentDiffusionConfig c;
    c.family = QStringLiteral("tiny");
    c.resolution = 64;
    c.maxTokens = 24;
    c.vae.blockOutChannels = {32, 64, 128};
    c.vae.layersPerBlock = 1;
    c.vae.normGroups = 16;
    c.vae.latentChannels = 4;
    c.vae.scalingFactor = 1.0;   // measured on the training set by pretraining
    c.unet.blockOutChannels = {32, 64, 128};
    c.unet.crossAttention = {false, true, true};
    c.unet.attentionHeads = {4, 4, 4};
    c.unet.layersPerBlock = 1;
    c.unet.normGroups = 16;
    c.unet.crossAttentionDim = 128;
    c.textEncoder.vocabSize = 4;
    c.textEncoder.hiddenSize = 128;
    c.textEncoder.intermediateSize = 512;
    c.textEncoder.layers = 4;
    c.textEncoder.heads = 4;
    c.textEncoder.maxPositions = c.maxTokens;
    c.textEncoder.activation = QStringLiteral("quick_gelu");
    return c;
}

LatentDiffusionConfig LatentDiffusionConfig::fromJson(const QJsonObject &o, const QString &context)
{
    LatentDiffusionConfig c;
    c.family = json::requireString(o, QStringLiteral("family"), context);
    if (c.family != QLatin1String("tiny") && c.family != QLatin1String("sd15"))
        fail(context, QStringLiteral("family"), QStringLiteral("must be tiny or sd15, got \"%1\"").arg(c.family));
    const auto object = [&](const char *key) {
        const QString k = QLatin1String(key);
        if (!o.value(k).isObject())
            fail(context, k, QStringLiteral("missing or not an object"));
        return o.value(k).toObject();
    };
    c.unet = UNetConfig::fromJson(object("unet"), context + QStringLiteral(".unet"));
    c.vae = VaeConfig::fromJson(object("vae"), context + QStringLiteral(".vae"));
    c.textEncoder = TextEncoderConfig::fromJson(object("text_encoder"), context + QStringLiteral(".text_encoder"));
    c.resolution = positiveInt(o, QStringLiteral("resolution"), context, c.resolution, 2048);
    c.maxTokens = positiveInt(o, QStringLiteral("max_tokens"), context, c.maxTokens);
    // The images are as large as recorded only when every downsampling divides evenly: the autoencoder's to the
    // latents, then the UNet's, whose skip connections must meet at equal sizes.
    const int vaeFactor = 1 << (int(c.vae.blockOutChannels.size()) - 1);
    const int unetFactor = 1 << (int(c.unet.blockOutChannels.size()) - 1);
    if (c.resolution % (vaeFactor * unetFactor) != 0)
        fail(context, QStringLiteral("resolution"),
             QStringLiteral("%1 is not a multiple of %2 (the autoencoder downsamples by %3, the UNet by %4)")
                 .arg(c.resolution)
                 .arg(vaeFactor * unetFactor)
                 .arg(vaeFactor)
                 .arg(unetFactor));
    c.vocabulary = o.value(QStringLiteral("vocabulary")).toArray();
    if (c.unet.crossAttentionDim != c.textEncoder.hiddenSize)
        fail(context, QStringLiteral("unet.cross_attention_dim"), QStringLiteral("must equal text_encoder.hidden_size"));
    if (c.unet.inChannels != c.vae.latentChannels)
        fail(context, QStringLiteral("unet.in_channels"), QStringLiteral("must equal vae.latent_channels"));
    return c;
}

QJsonObject LatentDiffusionConfig::toJson() const
{
    return QJsonObject{{QStringLiteral("family"), family},
                       {QStringLiteral("unet"), unet.toJson()},
                       {QStringLiteral("vae"), vae.toJson()},
                       {QStringLiteral("text_encoder"), textEncoder.toJson()},
                       {QStringLiteral("resolution"), resolution},
                       {QStringLiteral("max_tokens"), maxTokens},
                       {QStringLiteral("vocabulary"), vocabulary}};
}

} // namespace redifine
