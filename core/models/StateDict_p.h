#pragma once
// Core-internal: moving module weights to and from safetensors files by name.

#include "core/io/TensorIo_p.h"

#include <torch/nn/module.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace redifine {

// A checkpoint's layout: tensor name -> shape (a file's header, or a published manifest of one).
using TensorShapes = std::map<std::string, std::vector<int64_t>>;
TensorShapes tensorShapes(const SafetensorsReader &reader);

// Checks that every parameter of `module` has a tensor of a fitting shape under checkpointName(name) (a
// [C, C, 1, 1] tensor fits a [C, C] parameter). Throws InputError naming `source`, `what` and the first
// missing or mis-shaped tensors (all of them counted).
void checkLayout(const torch::nn::Module &module, const TensorShapes &shapes,
                 const std::function<std::string(const std::string &)> &checkpointName, const QString &what,
                 const QString &source);

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
