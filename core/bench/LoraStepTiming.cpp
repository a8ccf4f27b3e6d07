#include "core/bench/LoraStepTiming_p.h"

#include "core/diffusion/Generate_p.h"
#include "core/models/Lora_p.h"
#include "core/study/Statistics.h"

#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace redifine {

LatentDiffusionConfig tinyBenchmarkConfig()
{
    LatentDiffusionConfig config = LatentDiffusionConfig::tinyDefault();
    QStringList words;
    for (int i = 0; i < 400; ++i)
        words << QStringLiteral("word%1").arg(i);
    config.vocabulary = WordTokenizer::build(words, config.maxTokens).toJson();
    return config;
}

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
    std::vector<double> seconds;
    finetune(model, lora, data, settings, {}, [&](const TrainStep &s) {
        if (model.device().is_cuda())
            torch::cuda::synchronize();
        const Clock::time_point now = Clock::now();
        if (s.step == 1)
            first = now;
        else
            seconds.push_back(std::chrono::duration<double>(now - previous).count());
        previous = now;
    });
    const double best = seconds.empty() ? std::numeric_limits<double>::infinity() : *std::min_element(seconds.begin(), seconds.end());
    return {best, std::chrono::duration<double>(previous - first).count() / steps, seconds.empty() ? best : median(seconds), seconds};
}

double timeSampling(LatentDiffusion &model, int images, int steps)
{
    GenerationSettings generation;
    generation.steps = steps;
    generation.batchSize = images;
    QStringList prompts;
    for (int i = 0; i < images; ++i)
        prompts << QStringLiteral("word%1 word%2").arg(i).arg(i + 1);
    generateImages(model, prompts.mid(0, 2), 0, generation);   // warm-up
    const auto start = std::chrono::steady_clock::now();
    generateImages(model, prompts, 0, generation);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace redifine
