#pragma once
// Core-internal: the samplers over LibTorch tensors.

#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/NoiseSchedule.h"

#include <ATen/ATen.h>

#include <functional>
#include <utility>

namespace redifine {

// The model under classifier-free guidance: for scaled latents x / sqrt(sigma^2 + 1) [B, C, H, W] at a
// (possibly fractional) timestep, the unconditional and conditional noise predictions, each [B, C, H, W].
// Implementations batch both passes into one model call.
using GuidedEps = std::function<std::pair<at::Tensor, at::Tensor>(const at::Tensor &modelInput, double timestep)>;
// Fresh N(0, 1) noise for ancestral step `step`, shaped like the latents.
using StepNoise = std::function<at::Tensor(int step)>;

// One Euler-ancestral step (k-diffusion sample_euler_ancestral, eta = 1).
struct AncestralStep
{
    at::Tensor next;
    at::Tensor denoised;
    double sigmaUp = 0.0;
    double sigmaDown = 0.0;
};
AncestralStep eulerAncestralStep(const at::Tensor &x, const at::Tensor &eps, double sigma, double sigmaNext,
                                 const at::Tensor &noise);

struct SampleOptions
{
    SamplerKind sampler = SamplerKind::EulerAncestral;
    CfgSchedule cfg = CfgSchedule::constant(7.5);
    std::function<bool()> cancelled;                          // polled before every step
    std::function<void(int step, const at::Tensor &x)> onStep; // after each step, with the new latents
};

struct SampleResult
{
    at::Tensor latents;    // final latents before decoding [B, C, H, W]
    at::Tensor diffNorm;   // the paper's Diff: ||eps_c - eps_u|| over C x H x W, [B, steps], float32 on CPU
    bool cancelled = false;
};

// Runs the sampler from initial latents (already multiplied by plan.initNoiseSigma) with guided noise
// predictions eps = eps_u + s_t (eps_c - eps_u), s_t from the CFG schedule at step t of T = plan steps.
SampleResult sample(const SamplingPlan &plan, const at::Tensor &initialLatents, const GuidedEps &model,
                    const StepNoise &noise, const SampleOptions &options);

// Per-image seeded noise: image i draws from its own generator seeded (baseSeed + i), first its initial
// latents and then one tensor per ancestral step, so an image does not depend on the batch it is in.
class SeededNoise
{
public:
    SeededNoise(uint64_t baseSeed, int firstIndex, int count, at::IntArrayRef perImageShape);
    // The next N(0, 1) tensor [count, ...]: the first call gives the initial latents, later calls the noise
    // of each ancestral step.
    at::Tensor draw();

private:
    std::vector<at::Generator> m_generators;
    std::vector<int64_t> m_shape;
};

} // namespace redifine
