#pragma once

#include "core/models/ModelConfigs.h"

#include <QString>

namespace redifine {

// Tensor names of the original latent-diffusion ("LDM", CompVis) single-file Stable Diffusion checkpoints for
// the diffusers/transformers names our modules use, following diffusers'
// scripts/convert_diffusers_to_original_stable_diffusion.py, generalised to any number of blocks and layers
// so the tiny golden configs map by the same rules. Full names, with the single file's prefixes:
//   model.diffusion_model.   the UNet        (input_blocks / middle_block / output_blocks)
//   first_stage_model.       the autoencoder (encoder.down.i.block.j, decoder.up.(B-1-i), mid.attn_1)
//   cond_stage_model.transformer.   the CLIP text encoder (names unchanged)
QString ldmUNetName(const QString &diffusersName, const UNetConfig &config);
QString ldmVaeName(const QString &diffusersName, const VaeConfig &config);
QString ldmTextEncoderName(const QString &transformersName);

} // namespace redifine
