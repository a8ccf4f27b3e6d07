#pragma once

#include <QString>

#include <functional>

namespace redifine {

// The widest UNet pretrain makes: 4 x the shipped channels (128/256/512), about 16 times its compute.
constexpr int kMaxUnetWidth = 4;

// Pretraining of the tiny family from scratch: first the autoencoder (reconstruction, an edge term so
// glyph outlines stay sharp, a small KL), then the text encoder and UNet together with condition drop 0.1
// (as Stable Diffusion was trained, so the base model has a meaningful unconditional prediction), with
// an exponential moving average of the weights. Checkpoints as it goes; resumable after a kill.
struct PretrainOptions
{
    QString dataDir;
    QString outDir;
    // Another captioned folder whose words join the vocabulary (e.g. every emoji while one group is held out of
    // training): a held-out group then keeps its own words, as a web-scale tokenizer's would, instead of
    // collapsing into [UNK]. Empty: the training captions' words only.
    QString vocabularyDir;
    // Where the UNet's cross-attention sits: "low", the shipped model's two lowest resolutions (8x8 and 4x4
    // latents), or "high", the two highest (16x16 and 8x8), Stable Diffusion's layout. LoRA adapts only the
    // attention blocks, so "high" lets a finetune reach the finest latent grid, as it does in SD1.5.
    QString unetAttention = QStringLiteral("low");
    // Multiplies the UNet's channels (32/64/128 at 1, the shipped model): a larger tiny UNet, about width^2 times
    // the parameters and compute. The text encoder and the autoencoder keep their sizes.
    int unetWidth = 1;
    // A trained autoencoder (a pretraining's autoencoder.safetensors or a tiny model file) that phase 1 starts
    // from instead of random weights. With vaeSteps 0 it is used as it is, so two base models can differ in their
    // UNet alone; with more, it is trained further (e.g. on new kinds of picture). Empty: train one from scratch.
    QString autoencoderPath;
    int vaeSteps = 1000;
    int diffusionSteps = 8000;
    int vaeBatchSize = 16;         // the autoencoder works at full resolution: smaller batches
    int batchSize = 32;
    double vaeLr = 3e-4;
    double diffusionLr = 3e-4;
    int warmupSteps = 200;
    double emaDecay = 0.999;
    double conditionDrop = 0.1;
    double edgeWeight = 0.5;
    double klWeight = 1e-6;
    int holdoutEvery = 20;         // every 20th image (by file name) is held out for evaluation
    int checkpointEvery = 200;
    uint64_t seed = 0;
    bool resume = false;
};

struct PretrainProgress
{
    QString phase;                 // "autoencoder" or "diffusion"
    int step = 0;
    int totalSteps = 0;
    double loss = 0.0;
    double secondsPerStep = 0.0;
    double etaSeconds = 0.0;       // for the whole pretraining
};

struct PretrainResult
{
    QString modelPath;             // <out>/tiny-base.safetensors (EMA weights, fp16)
    double heldOutPsnr = 0.0;      // autoencoder reconstruction on held-out images, dB
    double latentScale = 0.0;
    bool cancelled = false;
};

// Throws InputError for a bad data folder or options, RuntimeError for a failed write or a NaN loss.
PretrainResult pretrain(const PretrainOptions &options, const std::function<void(const PretrainProgress &)> &progress = {},
                        const std::function<bool()> &cancelled = {});

} // namespace redifine
