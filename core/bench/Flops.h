#pragma once

#include "core/models/ModelConfigs.h"

namespace redifine {

// Multiply-add FLOPs (2 per multiply-accumulate) of one forward pass, counted from the architecture:
// convolutions, linear layers and attention matrix products; norms and activations are left out (< 2%).
double unetForwardFlops(const UNetConfig &config, int batch, int height, int width, int contextLength);
double vaeEncodeFlops(const VaeConfig &config, int batch, int height, int width);
double vaeDecodeFlops(const VaeConfig &config, int batch, int height, int width);   // latent height/width
double textEncoderFlops(const TextEncoderConfig &config, int batch, int length);

// The model's work in one LoRA finetune step: the forward pass of the UNet and the text encoder plus a
// backward pass through their frozen weights (input gradients only, about the forward again), 2x forward.
double trainingModelFlops(const LatentDiffusionConfig &config, int batch, int latentHeight, int latentWidth);

// FLOPs a LoRA finetune step performs beyond forward plus input gradients (2x forward) of the frozen
// model: per adapted layer, the cheaper of the merged-weight gradient or the adapter products
// (models/LoraCost.h), for the UNet's transformer blocks and the text encoder's attention and MLP.
double loraTrainingFlops(const LatentDiffusionConfig &config, int batch, int latentHeight, int latentWidth, int rank);

} // namespace redifine
