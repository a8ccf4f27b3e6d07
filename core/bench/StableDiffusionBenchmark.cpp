#include "core/bench/StableDiffusionBenchmark.h"

#include "core/bench/Flops.h"
#include "core/bench/LoraStepTiming_p.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"

#include <torch/cuda.h>
#ifdef REDIFINE_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <limits>

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

// Peak GPU memory: reset, and read since the reset in GiB (null off CUDA).
void resetGpuPeak(const at::Device &device)
{
#ifdef REDIFINE_HAVE_CUDA
    if (device.is_cuda())
        c10::cuda::CUDACachingAllocator::resetPeakStats(device.has_index() ? device.index() : 0);
#else
    (void)device;
#endif
}

QJsonValue gpuPeakGiB(const at::Device &device)
{
#ifdef REDIFINE_HAVE_CUDA
    if (device.is_cuda())
        return double(c10::cuda::CUDACachingAllocator::getDeviceStats(device.has_index() ? device.index() : 0).allocated_bytes[0].peak)
               / double(1 << 30);
#else
    (void)device;
#endif
    return QJsonValue();
}

} // namespace

QJsonObject runStableDiffusionBenchmark(const StableDiffusionBenchmarkOptions &o)
{
    const RuntimeInfo info = runtimeInfo();
    const at::Device device = info.cudaAvailable ? at::Device(at::kCUDA) : at::Device(at::kCPU);
    // The limit to compare with: on a GPU an fp16 multiply (the UNet runs in fp16 there), on a CPU fp32.
    const MatmulRate matmul = device.is_cuda() ? measureGpuHalfMatmulRate() : measureMatmulRate(1024, 20);
    const QString name = o.checkpoint.isEmpty() ? QStringLiteral("SD1.5 architecture, random weights") : o.checkpoint;
    auto model = o.checkpoint.isEmpty() ? LatentDiffusion::fromStableDiffusion(stableDiffusionModules(), o.resolution, device, name)
                                        : LatentDiffusion::loadStableDiffusion(o.checkpoint, o.resolution, device);
    const LatentDiffusionConfig &config = model->config();
    const int latent = config.latentSize();
    QJsonObject report{{QStringLiteral("device"), info.device},
                       {QStringLiteral("threads"), info.threads},
                       {QStringLiteral("torch"), info.torchVersion},
                       {QStringLiteral("model"), name},
                       {QStringLiteral("resolution"), o.resolution},
                       {QStringLiteral("matmul_gflops"), matmul.gflops},
                       {QStringLiteral("matmul_kind"), QStringLiteral("%1 %2 x %2").arg(device.is_cuda() ? QStringLiteral("GPU fp16") : QStringLiteral("CPU fp32")).arg(matmul.size)}};

    {
        torch::NoGradGuard noGrad;
        resetGpuPeak(device);
        const at::Tensor context = model->encodeText({QString(), QStringLiteral("a watercolour fox in the snow")});
        const at::Tensor latents = at::randn({2, config.unet.inChannels, latent, latent}).to(device);
        const at::Tensor timestep = at::full({1}, 500.0, at::kFloat);
        const auto step = [&] { model->predictNoise(latents, timestep, context); };
        const double first = timed(device, step);
        double best = std::numeric_limits<double>::infinity();
        for (int i = 0; i < (device.is_cuda() ? std::max(o.samplingSteps, 20) : o.samplingSteps); ++i)
            best = std::min(best, timed(device, step));
        const double flops = unetForwardFlops(config.unet, 2, latent, latent, config.maxTokens);
        report.insert(QStringLiteral("sampling_step"), QJsonObject{{QStringLiteral("unet_batch"), 2},
                                                                   {QStringLiteral("first_seconds"), first},
                                                                   {QStringLiteral("seconds"), best},
                                                                   {QStringLiteral("steps_per_second"), 1.0 / best},
                                                                   {QStringLiteral("gflop"), flops / 1e9},
                                                                   {QStringLiteral("gflops"), flops / best / 1e9},
                                                                   {QStringLiteral("fraction_of_matmul"), flops / best / 1e9 / matmul.gflops},
                                                                   {QStringLiteral("peak_gpu_gib"), gpuPeakGiB(device)}});
        const double decode = timed(device, [&] { model->decodeLatents(latents.slice(0, 0, 1)); });
        report.insert(QStringLiteral("vae_decode_seconds"), decode);
        report.insert(QStringLiteral("image_30_steps_seconds"), 30 * best + decode);
    }

    if (o.train) {
        resetGpuPeak(device);
        const StepTimes train = timeLoraSteps(*model, randomTrainingData(o.trainBatch, o.resolution), o.trainBatch,
                                               device.is_cuda() ? std::max(o.trainSteps, 10) : o.trainSteps);
        // Model FLOPs (Flops.h); the adapters' own work is left out, so the fraction is a lower bound.
        const double modelFlops = trainingModelFlops(config, o.trainBatch, latent, latent);
        report.insert(QStringLiteral("lora_train_step"), QJsonObject{{QStringLiteral("batch"), o.trainBatch},
                                                                     {QStringLiteral("model_gflop"), modelFlops / 1e9},
                                                                     {QStringLiteral("fraction_of_matmul"), modelFlops / train.best / 1e9 / matmul.gflops},
                                                                     {QStringLiteral("seconds"), train.best},
                                                                     {QStringLiteral("mean_seconds"), train.mean},
                                                                     {QStringLiteral("steps_per_second"), 1.0 / train.best},
                                                                     {QStringLiteral("peak_gpu_gib"), gpuPeakGiB(device)}});
    }
    report.insert(QStringLiteral("peak_rss_mib"), peakResidentMiB());
    return report;
}

} // namespace redifine
