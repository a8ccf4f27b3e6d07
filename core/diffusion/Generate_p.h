#pragma once
// Core-internal: text-to-image generation with classifier-free guidance and the sampler probes.

#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/ImageInfotext.h"
#include "core/diffusion/NoiseSchedule.h"

#include <ATen/ATen.h>

#include <QStringList>

#include <functional>

namespace redifine {

class LatentDiffusion;

struct GenerationSettings
{
    SamplerKind sampler = SamplerKind::EulerAncestral;
    int steps = 30;
    TimestepSpacing spacing = TimestepSpacing::Linspace;
    CfgSchedule cfg = CfgSchedule::constant(7.5);
    int clipSkip = 1;
    // The unconditional text of CFG (A1111, diffusers): "" as in the paper, or what the images should avoid.
    QString negativePrompt;
    uint64_t seed = 0;     // image i uses seed + i
    int batchSize = 8;     // prompts per model call (the conditional and unconditional passes double it)
    QString weights;       // the files behind the model (base, LoRA), named when sampling produces NaN
};

struct GeneratedImages
{
    at::Tensor images;     // [N, 3, H, W] in [0, 1], CPU float
    at::Tensor latents;    // [N, C, h, w] final latents before decoding, CPU float
    at::Tensor diffNorm;   // [N, steps] ||eps_c - eps_u|| per image and step
    bool cancelled = false;
};

// The part of an image's infotext recipe that the generation settings decide (sampler, steps, spacing, CFG,
// CLIP skip, negative prompt); the caller adds the prompt, seed, size and the weights' identities.
ImageRecipe recipeOf(const GenerationSettings &settings);

// Generates one image per prompt; prompt k of this call is image (firstIndex + k) of the set, so it uses
// seed + firstIndex + k whatever the batching. `progress(imagesDone)` is called after every sampling step and
// every batch's decode with the images of this call done so far, fractions included (a batch after step s of n
// counts s/(n + 1) of its images; its decode the rest), so that an ETA is honest within one step even when a
// step takes seconds (SD1.5 on a CPU). Throws RuntimeError naming the step and settings.weights as soon as a
// latent or a decoded image is NaN or infinite.
GeneratedImages generateImages(LatentDiffusion &model, const QStringList &prompts, int firstIndex,
                               const GenerationSettings &settings, const std::function<bool()> &cancelled = {},
                               const std::function<void(double imagesDone)> &progress = {});

} // namespace redifine
