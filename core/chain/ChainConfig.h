#pragma once

#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/NoiseSchedule.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace redifine {

// Upper bounds of the settings that size work or allocations: a chain.json or --set beyond them is refused at
// validation, before anything is written or allocated (a two-billion-iteration chain.json cannot hang a reader).
constexpr int kMaxIterations = 1000;
constexpr int kMaxImagesPerPrompt = 10000;
constexpr int kMaxBatchSize = 4096;
constexpr int kMaxLoraRank = 1024;
constexpr int kMaxResolution = 2048;
constexpr double kMaxLearningRate = 10.0;

// Everything that defines one Chain of Diffusion (paper Eq. 1-2): base model M_0, dataset D_0 and prompt
// set P, the finetune and sampler settings, iterations and seeds. Serialised as chain.json in the run folder.
struct ChainConfig
{
    QString name = QStringLiteral("chain");
    QString description;

    // Base model M_0: the tiny family's shipped weights when modelPath is empty; sd15: the user's Stable
    // Diffusion 1.x checkpoint (a .safetensors file or a diffusers folder), run at modelResolution pixels.
    QString modelFamily = QStringLiteral("tiny");
    QString modelPath;
    int modelResolution = 512;     // sd15 only; a tiny model file carries its own

    // D_0: an image folder (kohya or imagefolder layout), or emoji of one group rendered into the run.
    QString datasetPath;
    QString emojiGroup = QStringLiteral("animals-nature");
    int datasetLimit = 0;          // 0 = every image (the dataset-size factor)
    int emojiVariants = 1;         // pictures of each emoji in D_0 (EmojiPlacement::variant); limit counts them
    double datasetNoise = 0.0;     // std of Gaussian noise added to D_0 in [-1, 1] units (paper C.10)

    int iterations = 6;            // K
    int imagesPerPrompt = 1;
    double realMixing = 0.0;       // share of generated images replaced by their real images (paper C.3)

    // Finetune (paper Table 2).
    int epochs = 100;
    int maxSteps = 0;              // > 0 caps the steps per iteration
    int batchSize = 6;
    double unetLr = 1e-4;
    double textEncoderLr = 5e-5;
    int loraRank = 32;
    double loraAlpha = 8.0;
    int convRank = 0;              // kohya's conv_dim: LoCon adapters on the ResNet and sampler convolutions (0: none)
    double convAlpha = 1.0;        // kohya's conv_alpha
    double conditionDrop = 0.0;    // ReDiFine: 0.2
    double minSnrGamma = 5.0;
    double noiseOffset = 0.0;
    bool flip = true;
    QString train = QStringLiteral("both");   // both, unet, text_encoder
    QString savePrecision = QStringLiteral("float");   // the adapter file's type, kohya's save_precision: float, fp16, bf16

    // Sampler.
    SamplerKind sampler = SamplerKind::EulerAncestral;
    int steps = 30;
    TimestepSpacing spacing = TimestepSpacing::Linspace;
    CfgSchedule cfg = CfgSchedule::constant(7.5);
    int clipSkip = 1;
    QString negativePrompt;        // CFG's unconditional text; "" as in the paper
    int generationBatch = 8;

    // Analyses after each iteration (IterationAnalysis.h); all of them by default, they cost seconds.
    QStringList analyses = {QStringLiteral("pixel_indicators"), QStringLiteral("image_spectrum"), QStringLiteral("latent_spectrum"),
                            QStringLiteral("fingerprint"), QStringLiteral("latent_histogram"), QStringLiteral("feature_metrics")};
    // The feature extractor of the feature metrics: tiny-clip (shipped), dinov2:PATH or clip:PATH.
    QString features = QStringLiteral("tiny-clip");
    uint64_t seed = 0;
    QString device = QStringLiteral("auto");   // auto, cpu, cuda
    int threads = 0;
    // The UNet's and text encoder's matrix products on the CPU: fp32, or bf16 (models/CpuBf16_p.h; fast where
    // the CPU has AVX-512 BF16). On CUDA the fp16 autocast applies either way.
    QString cpuMatmuls = QStringLiteral("fp32");

    QJsonObject toJson() const;
    // Every field is checked; errors name the field ("finetune.condition_drop: must lie in [0, 1]").
    static ChainConfig fromJson(const QJsonObject &object);
    void validate() const;
    // validate() plus what only a complete config must have (sd15 needs model.path); run before a chain
    // starts, not after each --set, whose order is free.
    void validateForRun() const;
};

// Sets a dotted key ("iterations", "dataset.limit", "sampler.cfg.s0") in a config object to a value given
// as text: JSON when it parses as JSON ("2", "true", "{...}"), else a string. Throws InputError for an
// unknown key.
void applyOverride(QJsonObject &config, const QString &assignment);

// A seed as a chain config holds it: a non-negative integer that a JSON number (a double) carries exactly.
bool isValidSeed(double seed);

} // namespace redifine
