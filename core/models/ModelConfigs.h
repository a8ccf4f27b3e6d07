#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace redifine {

// Sizes of a UNet2DConditionModel in diffusers' config vocabulary (Stable Diffusion's layout: cross-attention
// down blocks, a cross-attention mid block, mirrored up blocks).
struct UNetConfig
{
    int inChannels = 4;
    int outChannels = 4;
    std::vector<int> blockOutChannels{320, 640, 1280, 1280};
    std::vector<bool> crossAttention{true, true, true, false};   // per down block; up blocks mirror it
    int layersPerBlock = 2;
    int normGroups = 32;
    double normEps = 1e-5;
    int crossAttentionDim = 768;
    std::vector<int> attentionHeads{8, 8, 8, 8};   // diffusers' attention_head_dim: heads per block for SD1.x
    bool flipSinToCos = true;
    int freqShift = 0;
    bool useLinearProjection = false;   // SD1.x: 1x1 convs for proj_in/proj_out

    static UNetConfig fromJson(const QJsonObject &object, const QString &context = QStringLiteral("unet"));
    QJsonObject toJson() const;
};

// Sizes of an AutoencoderKL (DownEncoderBlock2D / UpDecoderBlock2D, one mid-block attention).
struct VaeConfig
{
    int inChannels = 3;
    int outChannels = 3;
    std::vector<int> blockOutChannels{128, 256, 512, 512};
    int layersPerBlock = 2;
    int latentChannels = 4;
    int normGroups = 32;
    double scalingFactor = 0.18215;

    static VaeConfig fromJson(const QJsonObject &object, const QString &context = QStringLiteral("vae"));
    QJsonObject toJson() const;
};

// Sizes of a CLIP text transformer (pre-LayerNorm, causal, learned positions, final LayerNorm).
struct TextEncoderConfig
{
    int vocabSize = 49408;
    int hiddenSize = 768;
    int intermediateSize = 3072;
    int layers = 12;
    int heads = 12;
    int maxPositions = 77;
    QString activation = QStringLiteral("quick_gelu");   // or "gelu"
    double layerNormEps = 1e-5;

    static TextEncoderConfig fromJson(const QJsonObject &object, const QString &context = QStringLiteral("text_encoder"));
    QJsonObject toJson() const;
};

} // namespace redifine

namespace redifine {

// Everything that defines a latent diffusion model of either family: component sizes, image resolution,
// and (tiny family) the tokenizer's vocabulary. Stored as JSON in the weights file's metadata.
struct LatentDiffusionConfig
{
    QString family = QStringLiteral("tiny");
    UNetConfig unet;
    VaeConfig vae;
    TextEncoderConfig textEncoder;
    int resolution = 64;
    int maxTokens = 24;
    QJsonArray vocabulary;   // tiny family: the word vocabulary, specials first

    // The tiny family's default sizes (a 64x64 RGB <-> 16x16x4 autoencoder, a ~3 M-parameter UNet with
    // cross-attention at 8x8 and 4x4, a 4-layer text transformer). The vocabulary is left empty.
    static LatentDiffusionConfig tinyDefault();
    // Side of the latents: the resolution over the autoencoder's 2^(blocks - 1) downsampling.
    int latentSize() const { return resolution >> (int(vae.blockOutChannels.size()) - 1); }
    static LatentDiffusionConfig fromJson(const QJsonObject &object, const QString &context = QStringLiteral("model"));
    QJsonObject toJson() const;
};

} // namespace redifine
