#include "core/diffusion/Sampler_p.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace redifine {

AncestralStep eulerAncestralStep(const at::Tensor &x, const at::Tensor &eps, double sigma, double sigmaNext,
                                 const at::Tensor &noise)
{
    AncestralStep step;
    step.denoised = x - eps * sigma;
    step.sigmaUp = std::min(sigmaNext, std::sqrt(sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext)
                                                 / (sigma * sigma)));
    step.sigmaDown = std::sqrt(sigmaNext * sigmaNext - step.sigmaUp * step.sigmaUp);
    // d = (x - denoised) / sigma = eps for eps-prediction
    step.next = x + eps * (step.sigmaDown - sigma);
    if (sigmaNext > 0.0)
        step.next = step.next + noise * step.sigmaUp;
    return step;
}

SampleResult sample(const SamplingPlan &plan, const at::Tensor &initialLatents, const GuidedEps &model,
                    const StepNoise &noise, const SampleOptions &options)
{
    const int steps = int(plan.timesteps.size());
    const int64_t batch = initialLatents.size(0);
    SampleResult result;
    result.diffNorm = at::zeros({batch, steps}, at::kFloat);
    at::Tensor x = initialLatents;
    for (int i = 0; i < steps; ++i) {
        if (options.cancelled && options.cancelled()) {
            result.cancelled = true;
            break;
        }
        const double sigma = plan.sigmas[size_t(i)];
        const double sigmaNext = plan.sigmas[size_t(i) + 1];
        const at::Tensor modelInput = x / std::sqrt(sigma * sigma + 1.0);
        const auto [epsUncond, epsCond] = model(modelInput, plan.timesteps[size_t(i)]);
        const at::Tensor diff = epsCond - epsUncond;
        result.diffNorm.select(1, i).copy_(diff.flatten(1).to(at::kFloat).norm(2, {1}).to(at::kCPU));
        const at::Tensor eps = epsUncond + diff * options.cfg.scaleAt(i, steps);

        switch (options.sampler) {
        case SamplerKind::EulerAncestral:
            x = eulerAncestralStep(x, eps, sigma, sigmaNext, sigmaNext > 0.0 ? noise(i) : at::Tensor()).next;
            break;
        case SamplerKind::Euler:
        case SamplerKind::Ddim:
            // Deterministic: x_next = denoised + sigma_next * eps. With eps-prediction this is both
            // k-diffusion's Euler step and DDIM (eta = 0) written in sigma space; they differ in the final
            // sigma (0 for Euler, sigma(0) for DDIM), handled below.
            x = x + eps * (sigmaNext - sigma);
            break;
        }
        if (options.onStep)
            options.onStep(i, x);
    }
    // DDIM returns a sample at abar(0) in variance-preserving scale: x_vp = x / sqrt(sigma^2 + 1).
    const double last = plan.sigmas.back();
    result.latents = last > 0.0 ? x / std::sqrt(last * last + 1.0) : x;
    return result;
}

SeededNoise::SeededNoise(uint64_t baseSeed, int firstIndex, int count, at::IntArrayRef perImageShape)
    : m_shape(perImageShape.begin(), perImageShape.end())
{
    for (int i = 0; i < count; ++i)
        m_generators.push_back(at::make_generator<at::CPUGeneratorImpl>(baseSeed + uint64_t(firstIndex + i)));
}

at::Tensor SeededNoise::draw()
{
    std::vector<at::Tensor> parts;
    for (at::Generator &generator : m_generators)
        parts.push_back(at::randn(m_shape, generator, at::kFloat));
    return at::stack(parts);
}

} // namespace redifine
