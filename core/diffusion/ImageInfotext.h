#pragma once

#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/NoiseSchedule.h"
#include "core/io/Infotext.h"

#include <QString>

#include <optional>

namespace redifine {

// A checkpoint as A1111 names it in an infotext: "Model" is the file name without its extension and
// "Model hash" the first 10 hex digits of the file's SHA-256 (empty for a diffusers folder, which A1111
// does not hash).
struct ModelIdentity
{
    QString name;
    QString hash;
};
ModelIdentity checkpointIdentity(const QString &path);   // throws InputError naming an unreadable file

// A LoRA file as A1111's Lora extension names it in "Lora hashes": its alias (ss_output_name, else the file
// name without extension) and short hash (the first 12 hex digits of sshs_model_hash, else of the SHA-256 of
// the file after its safetensors header).
struct AdapterIdentity
{
    QString alias;
    QString hash;
};
AdapterIdentity loraIdentity(const QString &path);   // throws InputError naming an unreadable file

// What made one generated image.
struct ImageRecipe
{
    QString prompt;
    QString negativePrompt;
    SamplerKind sampler = SamplerKind::EulerAncestral;
    int steps = 30;
    TimestepSpacing spacing = TimestepSpacing::Linspace;
    CfgSchedule cfg = CfgSchedule::constant(7.5);
    int clipSkip = 1;
    uint64_t seed = 0;
    int size = 64;
    ModelIdentity model;
    std::optional<AdapterIdentity> lora;
};

QString a1111SamplerName(SamplerKind sampler);   // "Euler a", "Euler", "DDIM"

// The recipe in A1111's fields: Steps, Sampler, CFG scale (the first step's scale), Seed, Size, Model hash,
// Model, Clip skip (when not 1, as A1111), then ours: CFG schedule (the whole schedule), Timestep spacing
// (when not linspace, the spacing A1111's samplers use), Lora hashes.
Infotext generationInfotext(const ImageRecipe &recipe);

} // namespace redifine
