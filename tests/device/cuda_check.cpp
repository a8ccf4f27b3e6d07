// CUDA check of the engine, run by tests/device/run.sh on a machine with a GPU (never by ctest): the
// golden architecture tests on the GPU, CPU/GPU agreement of generation, fp16-autocast finetuning, the
// tiny-family benchmark and SD1.5-sized UNet timings. Prints one JSON object.
#include "core/bench/Benchmark.h"
#include "core/diffusion/Generate_p.h"
#include "core/io/TensorIo_p.h"
#include "core/models/Autoencoder_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/StateDict_p.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"
#include "core/runtime/RuntimeInfo.h"
#include "core/train/Finetune_p.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <torch/optim/adamw.h>
#include <torch/version.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/cuda.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <chrono>
#include <cstdio>

using namespace redifine;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object();
}

double maxAbs(const at::Tensor &a, const at::Tensor &b)
{
    return (a.to(at::kCPU, at::kDouble) - b.to(at::kCPU, at::kDouble)).abs().max().item<double>();
}

double sync()
{
    torch::cuda::synchronize();
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

int main(int argc, char **argv)
{
    const QString golden = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("tests/data/golden");
    configureThreads(0);
    QJsonObject report;
    const RuntimeInfo info = runtimeInfo();
    report.insert("device", info.device);
    report.insert("torch", info.torchVersion);
    if (!info.cudaAvailable) {
        std::printf("%s\n", QJsonDocument(report).toJson().constData());
        return 1;
    }
    const at::Device cuda(at::kCUDA);
    // Golden comparisons in true fp32: TF32 would cost about 3 decimal digits.
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
    {
        torch::NoGradGuard noGrad;
        UNet unet(UNetConfig::fromJson(readJson(golden + "/unet_config.json")));
        loadWeights(*unet, SafetensorsReader(golden + "/unet_diffusers.safetensors"), "", "UNet");
        unet->to(cuda);
        const SafetensorsReader io(golden + "/unet_io.safetensors");
        QJsonObject g;
        for (const std::string c : {"a.", "b."})
            g.insert(QString::fromStdString(c + "unet_max_abs"),
                     maxAbs(unet->forward(io.tensor(c + "sample").to(cuda), io.tensor(c + "timestep").to(cuda),
                                          io.tensor(c + "encoder_hidden_states").to(cuda)),
                            io.tensor(c + "out")));
        Autoencoder vae(VaeConfig::fromJson(readJson(golden + "/vae_config.json")));
        loadWeights(*vae, SafetensorsReader(golden + "/vae_diffusers.safetensors"), "", "VAE");
        vae->to(cuda);
        const SafetensorsReader vio(golden + "/vae_io.safetensors");
        g.insert("vae_mean_max_abs", maxAbs(vae->encode(vio.tensor("encode.image").to(cuda)).mean, vio.tensor("encode.mean")));
        g.insert("vae_decode_max_abs", maxAbs(vae->decode(vio.tensor("decode.latent").to(cuda)), vio.tensor("decode.out")));
        TextEncoder te(TextEncoderConfig::fromJson(readJson(golden + "/clip_text_config.json")));
        loadWeights(*te, SafetensorsReader(golden + "/clip_text_transformers.safetensors"), "", "CLIP");
        te->to(cuda);
        const SafetensorsReader cio(golden + "/clip_text_io.safetensors");
        g.insert("clip_skip2_max_abs", maxAbs(te->encode(cio.tensor("input_ids").to(cuda), 2), cio.tensor("penultimate_final_ln")));
        report.insert("golden_on_cuda_fp32", g);
    }

    // Tiny family: the same seeds give the same images on CPU and GPU (noise is drawn on the CPU).
    LatentDiffusionConfig config = LatentDiffusionConfig::tinyDefault();
    config.vocabulary = WordTokenizer::build({"red apple", "blue whale", "green tree"}, config.maxTokens).toJson();
    LatentDiffusion model(config, 5);
    GenerationSettings gen;
    gen.steps = 30;
    gen.seed = 77;
    gen.cfg = CfgSchedule::exponential(7.5, 2.0);
    const GeneratedImages onCpu = generateImages(model, {"red apple", "blue whale", "green tree"}, 0, gen);
    model.to(cuda);
    const GeneratedImages onGpu = generateImages(model, {"red apple", "blue whale", "green tree"}, 0, gen);
    report.insert("tiny_generation_cpu_vs_cuda_max_abs", maxAbs(onCpu.images, onGpu.images));

    // fp16 autocast finetuning with loss scaling.
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{}, 3);
    TrainingData data;
    data.images = at::rand({16, 3, 64, 64}) * 2 - 1;
    for (int i = 0; i < 16; ++i)
        data.captions << (i % 2 ? "red apple" : "blue whale");
    FinetuneSettings ft;
    ft.batchSize = 16;
    ft.maxSteps = 40;
    ft.conditionDrop = 0.2;
    const FinetuneResult result = finetune(model, lora, data, ft);
    QJsonArray losses;
    for (const TrainStep &s : result.log)
        if (s.step % 10 == 1 || s.step == ft.maxSteps)
            losses.append(s.loss);
    report.insert("tiny_finetune_fp16_losses", losses);

    // The benchmark on this device (TF32 back on: the speed a user gets).
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);
    report.insert("bench", runBenchmarks(BenchmarkOptions{}));

    // SD1.5-sized UNet (random weights): sampling step with CFG at 512x512 (batch 2) in fp16, and a LoRA
    // training step at batch 6 under fp16 autocast with peak memory.
    {
        UNetConfig sd;   // defaults are SD1.5's
        UNet unet(sd);
        unet->to(cuda, at::kHalf);
        for (at::Tensor &p : unet->parameters())
            p.set_requires_grad(false);
        const at::Tensor x = at::randn({2, 4, 64, 64}, at::TensorOptions(cuda).dtype(at::kHalf));
        const at::Tensor ctx = at::randn({2, 77, 768}, at::TensorOptions(cuda).dtype(at::kHalf));
        const at::Tensor t = at::full({1}, 500.0f, at::TensorOptions(cuda));
        {
            torch::NoGradGuard noGrad;
            unet->forward(x, t, ctx);
            const double a = sync();
            for (int i = 0; i < 10; ++i)
                unet->forward(x, t, ctx);
            report.insert("sd15_unet_fp16_steps_per_second_batch2", 10.0 / (sync() - a));
        }
        c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        unet->to(cuda, at::kFloat);   // fp32 master weights, fp16 compute via autocast
        TextEncoderConfig teConfig;
        TextEncoder te(teConfig);
        te->to(cuda);
        LoraNetwork sdLora(*unet, *te, LoraSettings{}, 1);
        std::vector<at::Tensor> params = sdLora.parameters(true);
        torch::optim::AdamW opt(params, torch::optim::AdamWOptions(1e-4));
        const at::Tensor xb = at::randn({6, 4, 64, 64}, at::TensorOptions(cuda));
        const at::Tensor cb = at::randn({6, 77, 768}, at::TensorOptions(cuda));
        double start = 0;
        for (int i = 0; i < 6; ++i) {
            if (i == 1)
                start = sync();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
            at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
            at::autocast::set_enabled(true);
#endif
            const at::Tensor y = unet->forward(xb, at::full({6}, 300.0f, at::TensorOptions(cuda)), cb);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
            at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
            at::autocast::set_enabled(false);
#endif
            at::autocast::clear_cache();
            opt.zero_grad();
            (y.to(at::kFloat).pow(2).mean() * 1024.0).backward();
            opt.step();
        }
        report.insert("sd15_lora_train_steps_per_second_batch6", 5.0 / (sync() - start));
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
        report.insert("sd15_lora_train_peak_gib", double(stats.allocated_bytes[0].peak) / (1 << 30));
    }
    std::printf("%s\n", QJsonDocument(report).toJson().constData());
    return 0;
}
