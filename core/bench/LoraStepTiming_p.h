#pragma once
// Core-internal: timing LoRA finetune steps, shared by the tiny-family and the SD1.5 benchmarks.

#include "core/models/LatentDiffusion_p.h"
#include "core/train/Finetune_p.h"

namespace redifine {

struct StepTimes
{
    double best;   // the fastest step (compared with the matrix-multiply rate, also a best of repeats)
    double mean;
};

// `n` random images in [-1, 1] at `resolution`, with captions from the words "word0" .. "word399" (the
// tiny benchmark's vocabulary; any tokenizer takes them).
TrainingData randomTrainingData(int n, int resolution);

// Seconds per step of the chain's finetune (fresh rank-32 adapters, the paper's settings) at `batch`, over
// `steps` steps after one warm-up step, waiting for the device at the end of each.
StepTimes timeLoraSteps(LatentDiffusion &model, const TrainingData &data, int batch, int steps);

} // namespace redifine
