#pragma once

#include <QJsonObject>
#include <QString>

namespace redifine {

struct StableDiffusionBenchmarkOptions
{
    QString checkpoint;      // empty: SD1.5's architecture with random weights (speed does not depend on them)
    int resolution = 512;
    // Steps timed after one warm-up step; on CUDA at least 20 and 10, since a GPU step takes milliseconds and
    // the fastest of two could be a fluke.
    int samplingSteps = 2;
    bool train = false;      // LoRA training steps too (minutes per step on a CPU; a fraction of a second on a GPU)
    int trainBatch = 6;
    int trainSteps = 2;
};

// Stable Diffusion 1.5 on the current device through the product's own path (LatentDiffusion, fp16 autocast
// on CUDA): one sampling step with CFG (the UNet on the conditional and unconditional latents together,
// batch 2), one VAE decode and the ETA of a 30-step image; optionally LoRA training steps (the chain's
// finetune, paper defaults, batch 6); peak memory of the process and, on CUDA, of the GPU. The JSON that
// `redifine bench --sd15` prints.
QJsonObject runStableDiffusionBenchmark(const StableDiffusionBenchmarkOptions &options);

} // namespace redifine
