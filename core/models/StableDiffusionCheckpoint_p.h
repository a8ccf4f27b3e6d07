#pragma once
// Core-internal: Stable Diffusion 1.x weights from the user's own checkpoint: an original single-file
// .safetensors (LDM names: model.diffusion_model., first_stage_model., cond_stage_model.transformer.) or a
// diffusers folder (unet/, vae/, text_encoder/, tokenizer/). fp16, bf16 and fp32 tensors load into fp32
// modules. Pickle files (.ckpt, .pt, .bin) are refused, never unpickled.

#include "core/models/Autoencoder_p.h"
#include "core/models/StateDict_p.h"
#include "core/models/ModelConfigs.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"

#include <QString>

namespace redifine {

struct StableDiffusionWeights
{
    UNetConfig unetConfig;
    VaeConfig vaeConfig;
    TextEncoderConfig textConfig;
    UNet unet{nullptr};
    Autoencoder vae{nullptr};
    TextEncoder textEncoder{nullptr};
    QString vocabPath;    // the tokenizer's vocab.json and merges.txt (a diffusers folder's tokenizer/), if any
    QString mergesPath;
};

// The layout is recognised from the path (a folder, or a file's tensor names). Configs default to SD1.5's; a
// diffusers folder's own config.json files take precedence. Throws InputError naming the file and the first
// missing or mis-shaped tensors for anything that is not SD1.x.
StableDiffusionWeights loadStableDiffusion(const QString &path, const UNetConfig &unetConfig = {}, const VaeConfig &vaeConfig = {},
                                           const TextEncoderConfig &textConfig = {});

// SD1.x modules at these configs (SD1.5's by default), freshly initialised.
StableDiffusionWeights stableDiffusionModules(const UNetConfig &unetConfig = {}, const VaeConfig &vaeConfig = {},
                                              const TextEncoderConfig &textConfig = {});

// Checks an original single-file layout (every LDM name and shape) against the modules without reading any
// data, as loadStableDiffusion does before it copies: `shapes` is a file's header or a manifest of one.
// Throws InputError naming `source`, the part and the first missing or mis-shaped tensors.
void checkSingleFileLayout(const StableDiffusionWeights &modules, const TensorShapes &shapes, const QString &source);

} // namespace redifine
