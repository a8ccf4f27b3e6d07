#include "core/diffusion/Generate_p.h"

#include "core/common/Error.h"
#include "core/diffusion/Sampler_p.h"
#include "core/models/LatentDiffusion_p.h"

#include <torch/nn/module.h>

namespace redifine {

ImageRecipe recipeOf(const GenerationSettings &settings)
{
    ImageRecipe recipe;
    recipe.negativePrompt = settings.negativePrompt;
    recipe.sampler = settings.sampler;
    recipe.steps = settings.steps;
    recipe.spacing = settings.spacing;
    recipe.cfg = settings.cfg;
    recipe.clipSkip = settings.clipSkip;
    return recipe;
}

GeneratedImages generateImages(LatentDiffusion &model, const QStringList &prompts, int firstIndex,
                               const GenerationSettings &settings, const std::function<bool()> &cancelled,
                               const std::function<void(double)> &progress)
{
    torch::NoGradGuard noGrad;
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), settings.steps, settings.spacing, settings.sampler);
    const LatentDiffusionConfig &config = model.config();
    const int64_t latentSize = config.latentSize();
    const at::Tensor uncondOne = model.encodeText({settings.negativePrompt}, settings.clipSkip);

    SampleOptions options;
    options.sampler = settings.sampler;
    options.cfg = settings.cfg;
    options.cancelled = cancelled;

    std::vector<at::Tensor> images, latents, diffNorms;
    GeneratedImages result;
    for (int start = 0; start < prompts.size(); start += settings.batchSize) {
        const int count = std::min<int>(settings.batchSize, int(prompts.size()) - start);
        const at::Tensor cond = model.encodeText(prompts.mid(start, count), settings.clipSkip);
        const at::Tensor context = at::cat({uncondOne.expand({count, -1, -1}), cond});
        SeededNoise noise(settings.seed, firstIndex + start, count, {config.unet.inChannels, latentSize, latentSize});
        const at::Tensor x0 = (noise.draw() * plan.initNoiseSigma).to(model.device());
        // The UNet runs in fp16 on CUDA (predictNoise); the sampler's own arithmetic and probes stay in fp32.
        const GuidedEps guided = [&](const at::Tensor &input, double t) {
            const at::Tensor both = model.predictNoise(at::cat({input, input}), at::full({1}, t, at::kFloat), context);
            const std::vector<at::Tensor> parts = both.chunk(2);
            return std::make_pair(parts[0], parts[1]);
        };
        // A NaN or infinity (from weights that are finite but absurd, or a diverged LoRA) would decode to black
        // images that look like a result: stop at the first step that makes one.
        const auto checkFinite = [&](const at::Tensor &x, const QString &where) {
            if (!at::isfinite(x).all().item<bool>())
                throw RuntimeError(QStringLiteral("%1 gave NaN or infinite values for images %2-%3 (weights: %4)")
                                       .arg(where)
                                       .arg(firstIndex + start)
                                       .arg(firstIndex + start + count - 1)
                                       .arg(settings.weights.isEmpty() ? QStringLiteral("the model") : settings.weights)
                                       .toStdString());
        };
        options.onStep = [&](int step, const at::Tensor &x) {
            checkFinite(x, QStringLiteral("sampling step %1 of %2").arg(step + 1).arg(settings.steps));
            if (progress)
                progress(start + count * double(step + 1) / double(settings.steps + 1));   // the decode is the last share
        };
        const SampleResult sampled = sample(plan, x0, guided, [&](int) { return noise.draw().to(model.device()); }, options);
        if (sampled.cancelled) {
            result.cancelled = true;
            break;
        }
        const at::Tensor decoded = model.decodeLatents(sampled.latents);
        checkFinite(decoded, QStringLiteral("the autoencoder's decode"));
        images.push_back(((decoded.to(at::kCPU, at::kFloat) + 1.0) / 2.0).clamp(0.0, 1.0));
        latents.push_back(sampled.latents.to(at::kCPU, at::kFloat));
        diffNorms.push_back(sampled.diffNorm);
        if (progress)
            progress(start + count);
    }
    if (!images.empty()) {
        result.images = at::cat(images);
        result.latents = at::cat(latents);
        result.diffNorm = at::cat(diffNorms);
    }
    return result;
}

} // namespace redifine
