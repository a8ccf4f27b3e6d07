#pragma once
// Core-internal: moving module weights to and from safetensors files by name.

#include "core/io/TensorIo_p.h"

#include <torch/nn/module.h>

namespace redifine {

// Copies every parameter of `module` from `reader` under `prefix + name`, converting dtypes. Throws
// InputError naming `what` and the first missing or mis-shaped tensors (all of them counted).
void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader, const std::string &prefix,
                 const QString &what);

// The module's parameters as (prefix + name, tensor), ready for writeSafetensors.
NamedTensors weightsOf(const torch::nn::Module &module, const std::string &prefix = {}, at::ScalarType dtype = at::kFloat);

int64_t parameterCount(const torch::nn::Module &module);

} // namespace redifine
