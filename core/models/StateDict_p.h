#pragma once
// Core-internal: moving module weights to and from safetensors files by name.

#include "core/io/TensorIo_p.h"

#include <torch/nn/module.h>

#include <functional>

namespace redifine {

// Copies every parameter of `module` from `reader` under `prefix + name`, converting dtypes. Throws
// InputError naming `what` and the first missing or mis-shaped tensors (all of them counted).
void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader, const std::string &prefix,
                 const QString &what);
// The same with the checkpoint's name for each parameter given by `checkpointName` (another key layout, such
// as the original LDM single files). A [C, C, 1, 1] tensor fills a [C, C] parameter (1x1 convolutions that
// diffusers stores as linear layers).
void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader,
                 const std::function<std::string(const std::string &)> &checkpointName, const QString &what);

// The module's parameters as (prefix + name, tensor), ready for writeSafetensors.
NamedTensors weightsOf(const torch::nn::Module &module, const std::string &prefix = {}, at::ScalarType dtype = at::kFloat);

int64_t parameterCount(const torch::nn::Module &module);

} // namespace redifine
