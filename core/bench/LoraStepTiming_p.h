#pragma once
// Core-internal: timing LoRA finetune steps, shared by the tiny-family and the SD1.5 benchmarks.

#include "core/models/LatentDiffusion_p.h"
#include "core/train/Finetune_p.h"

#include <vector>

namespace redifine {

struct StepTimes
{
    double best;     // the fastest step (compared with the matrix-multiply rate, also a best of repeats)
    double mean;
    double median;   // what `bench --peer` compares, as robust to a noisy machine for both sides
    std::vector<double> seconds;   // every timed step
};

// `n` random images in [-1, 1] at `resolution`, with captions from the words "word0" .. "word399" (the
// tiny benchmark's vocabulary; any tokenizer takes them).
TrainingData randomTrainingData(int n, int resolution);

// The tiny family as `redifine bench` measures it (with fresh weights): tinyDefault() with a 400-word
// vocabulary, "word0" .. "word399".
LatentDiffusionConfig tinyBenchmarkConfig();

// Seconds per step of the chain's finetune (fresh rank-32 adapters, the paper's settings) at `batch`, over
// `steps` steps after one warm-up step, waiting for the device at the end of each.
StepTimes timeLoraSteps(LatentDiffusion &model, const TrainingData &data, int batch, int steps);

// Seconds to generate `images` images ("word<i> word<i+1>") with `steps` Euler-ancestral steps and CFG 7.5 in one
// batch (UNet batch 2 x images), the autoencoder's decode included, after a warm-up run of two images.
double timeSampling(LatentDiffusion &model, int images, int steps);

} // namespace redifine
