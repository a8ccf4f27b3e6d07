#pragma once

#include <QJsonObject>
#include <QString>

namespace redifine {

// Stable Diffusion 1.5 at 512 x 512 on the current device: one sampling step with CFG (the UNet on the
// conditional and unconditional latents together, batch 2, 77 text tokens), one VAE decode, the ETA of a
// 30-step image from them, and the peak memory. The model is `checkpointPath` when given, otherwise SD1.5's
// architecture with random weights (the speed does not depend on the values). The JSON `redifine bench --sd15`
// prints.
QJsonObject runStableDiffusionBenchmark(const QString &checkpointPath, int resolution = 512, int timedSteps = 2);

} // namespace redifine
