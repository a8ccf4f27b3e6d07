#include "core/bench/Benchmark.h"

#include "core/bench/Flops.h"
#include "core/bench/LoraStepTiming_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/StateDict_p.h"
#include "core/runtime/BlasTuning.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"
#include "core/train/Finetune_p.h"

#include <QJsonArray>

#include <algorithm>
#include <chrono>
#include <limits>

namespace redifine {

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

} // namespace

QJsonObject runBenchmarks(const BenchmarkOptions &o)
{
    const RuntimeInfo info = runtimeInfo();
    const at::Device device = info.cudaAvailable ? at::Device(at::kCUDA) : at::Device(at::kCPU);
    // The machine's limit: the better of two matrix-multiply measurements, one before and one after the
    // training steps (this virtual machine's throughput drifts by 10-20% over tens of seconds).
    // With cpu_matmuls = bf16 the limit is the bf16 multiply's rate (the float32 one is reported beside it).
    const bool bf16 = o.cpuBf16 && !info.cudaAvailable;
    const auto measureLimit = [bf16] { return bf16 ? measureBf16MatmulRate(1024, 20) : measureMatmulRate(1024, 20); };
    MatmulRate matmul = measureLimit();

    LatentDiffusion model(tinyBenchmarkConfig(), 0);
    model.to(device);
    model.setCpuBf16(bf16);
    const LatentDiffusionConfig &config = model.config();
    const int latent = config.latentSize();

    // Training. The model's work is the forward pass plus a backward pass through the frozen weights
    // (input gradients only, about the forward again). The step executes that plus the LoRA work: merged
    // weight gradients or adapter products, whichever each layer found cheaper (models/LoraCost.h).
    const StepTimes trainStep = timeLoraSteps(model, randomTrainingData(o.trainBatch, config.resolution), o.trainBatch, o.trainSteps);
    const double trainModelFlops = trainingModelFlops(config, o.trainBatch, latent, latent);
    const double trainFlops = trainModelFlops + loraTrainingFlops(config, o.trainBatch, latent, latent, LoraSettings{}.rank);
    const MatmulRate matmulAfter = measureLimit();
    if (matmulAfter.gflops > matmul.gflops)
        matmul = matmulAfter;

    // Sampling with CFG (conditional and unconditional passes batched together).
    const double sampleSeconds = timeSampling(model, o.sampleImages, o.sampleSteps);
    const double sampleFlops = o.sampleSteps * unetForwardFlops(config.unet, 2 * o.sampleImages, latent, latent, config.maxTokens)
                               + vaeDecodeFlops(config.vae, o.sampleImages, latent, latent);

    // Autoencoder throughput: the fastest of three full batches after a first one (oneDNN compiles kernels for
    // each new shape on first use, which one timed call counted: encode read 117-192 images/s run to run).
    torch::NoGradGuard noGrad;
    const at::Tensor images = (at::rand({o.vaeBatch, 3, config.resolution, config.resolution}) * 2 - 1).to(device);
    at::Tensor encoded = model.encodeImages(images);
    model.decodeLatents(encoded).sum().item<double>();
    double encodeSeconds = std::numeric_limits<double>::infinity(), decodeSeconds = encodeSeconds;
    for (int repeat = 0; repeat < 3; ++repeat) {
        auto start = Clock::now();
        encoded = model.encodeImages(images);
        encoded.sum().item<double>();   // waits for a GPU
        encodeSeconds = std::min(encodeSeconds, seconds(start, Clock::now()));
        start = Clock::now();
        model.decodeLatents(encoded).sum().item<double>();
        decodeSeconds = std::min(decodeSeconds, seconds(start, Clock::now()));
    }

    c10::GradMode::set_enabled(true);
    const double chainStep = timeLoraSteps(model, randomTrainingData(o.chainFinetuneBatch, config.resolution), o.chainFinetuneBatch, 3).mean;
    const double chainSeconds = o.chainFinetuneSteps * chainStep + o.chainImages * sampleSeconds / o.sampleImages;

    QJsonObject report;
    report.insert(QStringLiteral("device"), info.device);
    report.insert(QStringLiteral("threads"), info.threads);
    report.insert(QStringLiteral("torch"), info.torchVersion);
    report.insert(QStringLiteral("blas"), info.blas);
    report.insert(QStringLiteral("model"), QJsonObject{
        {QStringLiteral("family"), config.family},
        {QStringLiteral("unet_parameters"), qint64(parameterCount(*model.unet))},
        {QStringLiteral("text_encoder_parameters"), qint64(parameterCount(*model.textEncoder))},
        {QStringLiteral("vae_parameters"), qint64(parameterCount(*model.vae))},
        {QStringLiteral("resolution"), config.resolution}});
    report.insert(QStringLiteral("cpu_matmuls"), cpuMatmulsName(bf16));
    report.insert(QStringLiteral("cpu_native_bf16"), cpuHasNativeBf16());
    report.insert(QStringLiteral("matmul"), QJsonObject{{QStringLiteral("size"), matmul.size},
                                                         {QStringLiteral("dtype"), bf16 ? QStringLiteral("bf16") : QStringLiteral("float32")},
                                                         {QStringLiteral("gflops"), matmul.gflops}});
    if (bf16)
        report.insert(QStringLiteral("float32_matmul_gflops"), measureMatmulRate(1024, 20).gflops);
    const double trainGflops = trainFlops / trainStep.best / 1e9;
    const double trainModelGflops = trainModelFlops / trainStep.best / 1e9;
    report.insert(QStringLiteral("train_step"), QJsonObject{
        {QStringLiteral("batch"), o.trainBatch},
        {QStringLiteral("steps"), o.trainSteps},
        {QStringLiteral("seconds"), trainStep.best},
        {QStringLiteral("mean_seconds"), trainStep.mean},
        {QStringLiteral("gflop"), trainFlops / 1e9},
        {QStringLiteral("gflops"), trainGflops},
        {QStringLiteral("fraction_of_matmul"), trainGflops / matmul.gflops},
        {QStringLiteral("model_gflop"), trainModelFlops / 1e9},
        {QStringLiteral("model_gflops"), trainModelGflops},
        {QStringLiteral("model_fraction_of_matmul"), trainModelGflops / matmul.gflops}});
    report.insert(QStringLiteral("sampling"), QJsonObject{
        {QStringLiteral("images"), o.sampleImages},
        {QStringLiteral("steps"), o.sampleSteps},
        {QStringLiteral("images_per_second"), o.sampleImages / sampleSeconds},
        {QStringLiteral("gflops"), sampleFlops / sampleSeconds / 1e9}});
    report.insert(QStringLiteral("vae"), QJsonObject{
        {QStringLiteral("batch"), o.vaeBatch},
        {QStringLiteral("encode_images_per_second"), o.vaeBatch / encodeSeconds},
        {QStringLiteral("decode_images_per_second"), o.vaeBatch / decodeSeconds},
        {QStringLiteral("encode_gflops"), vaeEncodeFlops(config.vae, o.vaeBatch, config.resolution, config.resolution) / encodeSeconds / 1e9},
        {QStringLiteral("decode_gflops"), vaeDecodeFlops(config.vae, o.vaeBatch, latent, latent) / decodeSeconds / 1e9}});
    report.insert(QStringLiteral("chain_iteration_estimate"), QJsonObject{
        {QStringLiteral("finetune_steps"), o.chainFinetuneSteps},
        {QStringLiteral("finetune_batch"), o.chainFinetuneBatch},
        {QStringLiteral("seconds_per_step"), chainStep},
        {QStringLiteral("images"), o.chainImages},
        {QStringLiteral("seconds"), chainSeconds}});
    report.insert(QStringLiteral("analysis"), runAnalysisBenchmarks(o.analysis));
    report.insert(QStringLiteral("peak_rss_mib"), peakResidentMiB());
    return report;
}

} // namespace redifine
