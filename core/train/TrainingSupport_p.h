#pragma once
// Core-internal: what the pretraining loops share: checkpoints that survive a kill, the learning-rate
// schedule, and the state file that says where to resume.

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace redifine {

using NamedModules = std::vector<std::pair<std::string, torch::nn::Module *>>;

// Parameters of `modules` (by prefix), EMA copies and the optimizer, written to a temporary name and
// renamed, so a kill at any moment leaves the previous checkpoint intact.
void saveCheckpoint(const QString &path, const NamedModules &modules, const std::vector<at::Tensor> &ema,
                    torch::optim::Optimizer &optimizer);
void loadCheckpoint(const QString &path, const NamedModules &modules, std::vector<at::Tensor> &ema,
                    torch::optim::Optimizer &optimizer);

// Linear warm-up, then cosine decay to 10% of the peak.
double scheduledLr(double peak, int step, int total, int warmup);
void setLr(torch::optim::AdamW &optimizer, double lr);

// Throws RuntimeError when a loss stops being finite, saying how to continue.
void checkFiniteLoss(double loss, const QString &phase, int step);

} // namespace redifine
