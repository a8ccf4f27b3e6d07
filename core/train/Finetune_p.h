#pragma once
// Core-internal: the LoRA finetune loop of the chain (kohya-ss train_network.py's defaults, paper Table 2).

#include "core/diffusion/NoiseSchedule.h"
#include "core/models/Lora_p.h"

#include <QStringList>

#include <functional>
#include <vector>

namespace redifine {

class LatentDiffusion;

struct FinetuneSettings
{
    int epochs = 100;
    int maxSteps = 0;            // > 0: stop after this many steps whatever the epochs
    int batchSize = 6;
    double unetLr = 1e-4;
    double textEncoderLr = 5e-5;
    double weightDecay = 0.01;   // torch.optim.AdamW's default, which kohya keeps
    double minSnrGamma = 5.0;    // 0 disables min-SNR weighting
    double noiseOffset = 0.0;
    double maxGradNorm = 1.0;
    bool flip = true;
    double conditionDrop = 0.0;  // ReDiFine: 0.2
    bool trainUnet = true;
    bool trainTextEncoder = true;
    int clipSkip = 1;
    LoraSettings lora;
    uint64_t seed = 0;
};

// Images in [-1, 1] ([N, 3, H, W]) with one caption each.
struct TrainingData
{
    at::Tensor images;
    QStringList captions;
    // kohya's repeats: image i is drawn repeats[i] times per epoch (empty: once each).
    std::vector<int64_t> repeats;
};

struct TrainStep
{
    int step = 0;          // 1-based
    int totalSteps = 0;
    int epoch = 0;
    double loss = 0.0;
    double unetLr = 0.0;
    double textEncoderLr = 0.0;
};

struct FinetuneResult
{
    std::vector<TrainStep> log;
    bool cancelled = false;
};

int finetuneSteps(int images, const FinetuneSettings &settings);

// The forward process q(x_t | x_0): sqrt(abar_t) x0 + sqrt(1 - abar_t) noise, per sample of the batch.
at::Tensor addNoise(const at::Tensor &x0, const at::Tensor &noise, const at::Tensor &timesteps, const NoiseSchedule &schedule);

// kohya's caption_dropout_rate: each caption independently becomes "" with probability p.
QStringList dropCaptions(const QStringList &captions, double p, at::Generator &generator);

// The per-sample training loss: MSE over C, H, W, times min(snr, gamma) / snr for eps-prediction when
// gamma > 0 (kohya's apply_snr_weight). Returns [B].
at::Tensor diffusionLoss(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &timesteps,
                         const NoiseSchedule &schedule, double minSnrGamma);

// Finetunes the adapters of `lora` on the data; the model's own weights stay frozen. Throws RuntimeError
// naming the step if the loss becomes NaN or infinite, InputError for invalid settings.
FinetuneResult finetune(LatentDiffusion &model, LoraNetwork &lora, const TrainingData &data,
                        const FinetuneSettings &settings, const std::function<bool()> &cancelled = {},
                        const std::function<void(const TrainStep &)> &onStep = {});

} // namespace redifine
