#include "core/bench/LoraStepTiming_p.h"

#include "core/models/Lora_p.h"

#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace redifine {

TrainingData randomTrainingData(int n, int resolution)
{
    TrainingData data;
    data.images = at::rand({n, 3, resolution, resolution}) * 2 - 1;
    for (int i = 0; i < n; ++i)
        data.captions << QStringLiteral("word%1 word%2 word%3").arg(i % 400).arg((i * 7) % 400).arg((i * 13) % 400);
    return data;
}

StepTimes timeLoraSteps(LatentDiffusion &model, const TrainingData &data, int batch, int steps)
{
    using Clock = std::chrono::steady_clock;
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{}, 1);
    FinetuneSettings settings;
    settings.batchSize = batch;
    settings.maxSteps = steps + 1;
    Clock::time_point first, previous;
    double best = std::numeric_limits<double>::infinity();
    finetune(model, lora, data, settings, {}, [&](const TrainStep &s) {
        if (model.device().is_cuda())
            torch::cuda::synchronize();
        const Clock::time_point now = Clock::now();
        if (s.step == 1)
            first = now;
        else
            best = std::min(best, std::chrono::duration<double>(now - previous).count());
        previous = now;
    });
    return {best, std::chrono::duration<double>(previous - first).count() / steps};
}

} // namespace redifine
