#include "core/bench/StableDiffusionBenchmark.h"

#include "core/bench/Flops.h"
#include "core/models/StableDiffusionCheckpoint_p.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"

#include <torch/cuda.h>

#include <chrono>

namespace redifine {

namespace {

using Clock = std::chrono::steady_clock;

// Seconds of `work`, waiting for the device to finish.
template <typename Work>
double timed(const at::Device &device, const Work &work)
{
    const Clock::time_point start = Clock::now();
    work();
    if (device.is_cuda())
        torch::cuda::synchronize();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

QJsonObject runStableDiffusionBenchmark(const QString &checkpointPath, int resolution, int timedSteps)
{
    const RuntimeInfo info = runtimeInfo();
    const at::Device device = info.cudaAvailable ? at::Device(at::kCUDA) : at::Device(at::kCPU);
    const MatmulRate matmul = measureMatmulRate(1024, 20);
    torch::NoGradGuard noGrad;
    StableDiffusionWeights sd = checkpointPath.isEmpty() ? stableDiffusionModules() : loadStableDiffusion(checkpointPath);
    sd.unet->to(device);
    sd.vae->to(device);
    const int latent = resolution / 8;
    const at::Tensor latents = at::randn({2, sd.vaeConfig.latentChannels, latent, latent}).to(device);
    const at::Tensor context = at::randn({2, 77, int64_t(sd.unetConfig.crossAttentionDim)}).to(device);
    const at::Tensor timestep = at::full({2}, 500.0).to(device);

    const double firstStep = timed(device, [&] { sd.unet->forward(latents, timestep, context); });
    double best = firstStep;
    for (int i = 0; i < timedSteps; ++i)
        best = std::min(best, timed(device, [&] { sd.unet->forward(latents, timestep, context); }));
    const double decode = timed(device, [&] { sd.vae->decode(latents.slice(0, 0, 1) / sd.vaeConfig.scalingFactor); });
    const double stepFlops = unetForwardFlops(sd.unetConfig, 2, latent, latent, 77);

    return QJsonObject{
        {QStringLiteral("device"), info.device},
        {QStringLiteral("threads"), info.threads},
        {QStringLiteral("torch"), info.torchVersion},
        {QStringLiteral("model"), checkpointPath.isEmpty() ? QStringLiteral("SD1.5 architecture, random weights") : checkpointPath},
        {QStringLiteral("resolution"), resolution},
        {QStringLiteral("matmul_gflops"), matmul.gflops},
        {QStringLiteral("sampling_step"), QJsonObject{{QStringLiteral("unet_batch"), 2},
                                                       {QStringLiteral("first_seconds"), firstStep},
                                                       {QStringLiteral("seconds"), best},
                                                       {QStringLiteral("gflop"), stepFlops / 1e9},
                                                       {QStringLiteral("gflops"), stepFlops / best / 1e9}}},
        {QStringLiteral("vae_decode_seconds"), decode},
        {QStringLiteral("image_30_steps_seconds"), 30 * best + decode},
        {QStringLiteral("peak_rss_mib"), peakResidentMiB()}};
}

} // namespace redifine
