#pragma once

#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/NoiseSchedule.h"
#include "core/models/ModelSource.h"

#include <QStringList>

#include <functional>

namespace redifine {

// Text-to-image generation as the CLI offers it: a model file (the shipped tiny base by default) or an SD1.x
// checkpoint, an optional LoRA (kohya, PEFT or diffusers names), prompts, sampler settings. Writes one PNG per prompt (with A1111's "parameters" text,
// ImageInfotext.h) and optionally a grid of all of them.
struct GenerateRequest
{
    ModelSource model;
    QString loraPath;
    QStringList prompts;
    QString negativePrompt;         // CFG's unconditional text; "" as in the paper
    QString outDir;
    QString gridPath;
    SamplerKind sampler = SamplerKind::EulerAncestral;
    TimestepSpacing spacing = TimestepSpacing::Linspace;
    int steps = 30;
    CfgSchedule cfg = CfgSchedule::constant(7.5);
    uint64_t seed = 0;
    bool cpuBf16 = false;           // cpu_matmuls = bf16: the UNet's and text encoder's products in bf16 on the CPU
};

// Returns the written file paths. Throws InputError / RuntimeError with the file named. `progress` gets the
// share of the work done and the seconds left after every sampling step.
QStringList runGenerate(const GenerateRequest &request,
                        const std::function<void(double fraction, double etaSeconds)> &progress = {});

} // namespace redifine
