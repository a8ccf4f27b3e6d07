// CUDA check of the engine, run by tests/device/run.sh on a machine with a GPU (never by ctest): the golden
// architecture tests on the GPU in fp32, the SD1.5 benchmark through the product's own path (the JSON of
// `redifine bench --sd15 --train`), CPU/GPU agreement of generation with the GPU's fp16 UNet for the golden
// tiny SD1.5-architecture model and the tiny family, and fp16-autocast finetuning. Prints one JSON object per
// line and section as each completes, so a failure late in the run keeps the earlier results.
#include "core/bench/StableDiffusionBenchmark.h"
#include "core/diffusion/Generate_p.h"
#include "core/io/TensorIo_p.h"
#include "core/models/Autoencoder_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/Lora_p.h"
#include "core/models/StateDict_p.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"
#include "core/runtime/RuntimeInfo.h"
#include "core/train/Finetune_p.h"

#include <ATen/Context.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

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

// LoRA finetuning of `model` on random images captioned alternately with the two captions; the losses of
// every fifth step and the last.
QJsonArray finetuneLosses(LatentDiffusion &model, const QStringList &captions, int images, int batch, int steps,
                          double conditionDrop)
{
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{}, 3);
    TrainingData data;
    data.images = at::rand({images, 3, 64, 64}) * 2 - 1;
    for (int i = 0; i < images; ++i)
        data.captions << captions.at(i % 2);
    FinetuneSettings settings;
    settings.batchSize = batch;
    settings.maxSteps = steps;
    settings.conditionDrop = conditionDrop;
    QJsonArray out;
    for (const TrainStep &s : finetune(model, lora, data, settings).log)
        if (s.step % 5 == 1 || s.step == s.totalSteps)
            out.append(s.loss);
    return out;
}

void emit(const QString &section, const QJsonValue &value)
{
    std::printf("%s\n", QJsonDocument(QJsonObject{{section, value}}).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    const QString golden = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("tests/data/golden");
    const QString sd15Folder = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("/tmp/sd15-tiny");
    configureThreads(0);
    const RuntimeInfo info = runtimeInfo();
    emit(QStringLiteral("device"), info.device + QStringLiteral(", LibTorch ") + info.torchVersion);
    if (!info.cudaAvailable)
        return 1;
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
        emit(QStringLiteral("golden_on_cuda_fp32"), g);
    }
    // PyTorch's defaults from here on (TF32 in cuDNN, not in cuBLAS), as the Python baseline runs.
    at::globalContext().setAllowTF32CuDNN(true);

    // SD1.5 through the product's own path: what `redifine bench --sd15 --train --json` prints on this GPU.
    {
        StableDiffusionBenchmarkOptions o;
        o.train = true;
        emit(QStringLiteral("sd15_bench"), runStableDiffusionBenchmark(o));
    }

    // The golden tiny SD1.5-architecture model as a diffusers folder (made by run.sh): the same seeds give
    // the same images on the CPU (fp32) and the GPU (fp16 UNet), and a few LoRA steps run under autocast.
    {
        GenerationSettings gen;
        gen.steps = 20;
        gen.seed = 11;
        gen.cfg = CfgSchedule::exponential(7.5, 2.0);
        const QStringList prompts{"a red apple", "a blue whale"};
        auto cpuModel = LatentDiffusion::loadStableDiffusion(sd15Folder, 64, at::kCPU);
        const GeneratedImages onCpu = generateImages(*cpuModel, prompts, 0, gen);
        auto gpuModel = LatentDiffusion::loadStableDiffusion(sd15Folder, 64, cuda);
        const GeneratedImages onGpu = generateImages(*gpuModel, prompts, 0, gen);
        QJsonObject r{{QStringLiteral("unet_dtype"), QString::fromLatin1(c10::toString(gpuModel->unet->parameters().front().scalar_type()))},
                      {QStringLiteral("images_cpu_vs_cuda_max_abs"), maxAbs(onCpu.images, onGpu.images)},
                      {QStringLiteral("images_cpu_vs_cuda_mean_abs"), (onCpu.images - onGpu.images.to(at::kCPU)).abs().mean().item<double>()}};
        r.insert(QStringLiteral("finetune_losses"), finetuneLosses(*gpuModel, prompts, 8, 4, 20, 0.0));
        emit(QStringLiteral("sd15_tiny_golden_model"), r);
    }

    // Tiny family: CPU and GPU images from the same seeds, and fp16-autocast finetuning with loss scaling.
    {
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
        QJsonObject r{{QStringLiteral("images_cpu_vs_cuda_max_abs"), maxAbs(onCpu.images, onGpu.images)}};
        r.insert(QStringLiteral("finetune_fp16_losses"), finetuneLosses(model, {"red apple", "blue whale"}, 16, 16, 40, 0.2));
        emit(QStringLiteral("tiny"), r);
    }
    return 0;
}
