#include "app/cli/Commands.h"

#include "app/cli/Cli.h"
#include "app/cli/CliText.h"
#include "core/bench/Benchmark.h"
#include "core/bench/PeerBenchmark.h"
#include "core/bench/StableDiffusionBenchmark.h"
#include "core/common/Error.h"
#include "core/runtime/BlasTuning.h"
#include "core/runtime/RuntimeInfo.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace redifine::cli {

namespace {

// A figure measured with weaker BLAS kernels than the CPU supports says so, in the report and on screen.
void noteKernels(QJsonObject &report, QTextStream &out, bool asJson)
{
    report.insert(QStringLiteral("blas_kernels"), openBlasCoreName());
    report.insert(QStringLiteral("blas_best_kernels"), bestSupportedCoreName());
    const QString advice = blasKernelAdvice();
    if (advice.isEmpty())
        return;
    report.insert(QStringLiteral("blas_advice"), advice);
    if (!asJson)
        out << QStringLiteral("note: %1\n").arg(advice);
}

// `bench --peer`: each pair and the medians, as ratios peer seconds / product seconds (above 1: the product is faster).
void printPeer(const QJsonObject &peer, QTextStream &out)
{
    const QJsonObject blas = peer.value(QStringLiteral("blas")).toObject();
    const QString coretype = peer.value(QStringLiteral("openblas_coretype")).toString();
    out << QStringLiteral("peer: eager PyTorch %1 (%2), %3 threads; BLAS %4 kernels (%5), peer %6 kernels (%7); OPENBLAS_CORETYPE %8\n")
               .arg(peer.value(QStringLiteral("torch")).toString(), peer.value(QStringLiteral("script")).toString())
               .arg(peer.value(QStringLiteral("threads")).toInt())
               .arg(blas.value(QStringLiteral("product_kernels")).toString(), blas.value(QStringLiteral("product")).toString(),
                    blas.value(QStringLiteral("peer_kernels")).toString(), blas.value(QStringLiteral("peer")).toString(),
                    coretype.isEmpty() ? QStringLiteral("unset") : coretype);
    const QJsonObject parameters = peer.value(QStringLiteral("parameters")).toObject();
    out << QStringLiteral("the same model on both sides: UNet %1, text encoder %2, VAE %3 parameters\n")
               .arg(parameters.value(QStringLiteral("unet")).toInteger())
               .arg(parameters.value(QStringLiteral("text_encoder")).toInteger())
               .arg(parameters.value(QStringLiteral("vae")).toInteger());
    const QJsonArray pairs = peer.value(QStringLiteral("pairs")).toArray();
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QJsonObject train = pairs.at(i).toObject().value(QStringLiteral("train_step")).toObject();
        const QJsonObject sampling = pairs.at(i).toObject().value(QStringLiteral("sampling")).toObject();
        out << QStringLiteral("pair %1: training step %2 s, peer %3 s (%4x); sampling %5 s, peer %6 s (%7x)\n")
                   .arg(i + 1)
                   .arg(train.value(QStringLiteral("product_seconds")).toDouble(), 0, 'f', 3)
                   .arg(train.value(QStringLiteral("peer_seconds")).toDouble(), 0, 'f', 3)
                   .arg(train.value(QStringLiteral("ratio")).toDouble(), 0, 'f', 2)
                   .arg(sampling.value(QStringLiteral("product_seconds")).toDouble(), 0, 'f', 2)
                   .arg(sampling.value(QStringLiteral("peer_seconds")).toDouble(), 0, 'f', 2)
                   .arg(sampling.value(QStringLiteral("ratio")).toDouble(), 0, 'f', 2);
    }
    out << QStringLiteral("median of %1 pairs, peer seconds / product seconds (product %4 matrix products, peer fp32): "
                          "training step %2x, sampling %3x\n")
               .arg(pairs.size())
               .arg(peer.value(QStringLiteral("train_step")).toObject().value(QStringLiteral("median_ratio")).toDouble(), 0, 'f', 2)
               .arg(peer.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("median_ratio")).toDouble(), 0, 'f', 2)
               .arg(peer.value(QStringLiteral("product_cpu_matmuls")).toString());
}

} // namespace

int commandInfo(Arguments &args, QTextStream &out)
{
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    const RuntimeInfo info = runtimeInfo();
    if (!asJson) {
        out << describe(info) << '\n';
        out << (cpuHasNativeBf16() ? QStringLiteral("bf16: this CPU multiplies bf16 natively (AVX-512 BF16); chains can set cpu_matmuls=bf16 "
                                                     "for faster training and sampling (README, Performance)\n")
                                   : QStringLiteral("bf16: not native on this CPU; keep cpu_matmuls=fp32\n"));
        return ExitOk;
    }
    QJsonObject o;
    o.insert(QStringLiteral("version"), info.productVersion);
    o.insert(QStringLiteral("torch"), info.torchVersion);
    o.insert(QStringLiteral("device"), info.device);
    o.insert(QStringLiteral("cuda_available"), info.cudaAvailable);
    o.insert(QStringLiteral("built_with_cuda"), info.builtWithCuda);
    o.insert(QStringLiteral("threads"), info.threads);
    o.insert(QStringLiteral("blas"), info.blas);
    o.insert(QStringLiteral("blas_kernels"), openBlasCoreName());
    o.insert(QStringLiteral("blas_best_kernels"), bestSupportedCoreName());
    if (!info.blasAdvice.isEmpty())
        o.insert(QStringLiteral("blas_advice"), info.blasAdvice);
    o.insert(QStringLiteral("cpu_native_bf16"), cpuHasNativeBf16());
    o.insert(QStringLiteral("data"), info.dataDir);
    out << jsonText(o);
    return ExitOk;
}

int commandBench(Arguments &args, QTextStream &out)
{
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    const bool quick = args.takeFlag(QStringLiteral("--quick"));
    const bool sd15 = args.takeFlag(QStringLiteral("--sd15"));
    StableDiffusionBenchmarkOptions sdOptions;
    sdOptions.checkpoint = args.takeValue(QStringLiteral("--model")).value_or(QString());
    sdOptions.resolution = args.takeInt(QStringLiteral("--resolution")).value_or(512);
    // LoRA training steps by default where they take seconds (CUDA), on request where they take minutes.
    const bool trainAsked = args.takeFlag(QStringLiteral("--train"));
    sdOptions.train = trainAsked || runtimeInfo().cudaAvailable;
    const bool peer = args.takeFlag(QStringLiteral("--peer"));
    const std::optional<int> pairs = args.takeInt(QStringLiteral("--pairs"));
    const bool cpuBf16 = cpuMatmulsIsBf16(args.takeValue(QStringLiteral("--cpu-matmuls")).value_or(cpuMatmulsName(false)),
                                          QStringLiteral("bench --cpu-matmuls"));
    args.finish();
    if (sd15 && cpuBf16)
        throw InputError("bench --cpu-matmuls: the tiny family only, not with --sd15");
    if (!sd15 && (!sdOptions.checkpoint.isEmpty() || sdOptions.resolution != 512 || trainAsked))
        throw InputError("bench --model, --resolution, --train: only with --sd15 (the tiny family is measured with fresh weights)");
    if (peer && sd15)
        throw InputError("bench --peer: the tiny family only, not with --sd15");
    if (pairs && !peer)
        throw InputError("bench --pairs: only with --peer");
    if (pairs && (*pairs < 1 || *pairs > 100))
        throw InputError("bench --pairs: must be from 1 to 100");
    if (cpuBf16 && runtimeInfo().cudaAvailable)
        throw InputError("bench --cpu-matmuls: bf16 is a CPU setting, and this machine benchmarks on CUDA");
    if (sd15) {
        if (sdOptions.resolution < 64 || sdOptions.resolution % 64 != 0)
            throw InputError("bench --resolution: a multiple of 64, at least 64");
        QJsonObject report = runStableDiffusionBenchmark(sdOptions);
        noteKernels(report, out, asJson);
        if (asJson) {
            out << jsonText(report);
            return ExitOk;
        }
        const QJsonObject step = report.value(QStringLiteral("sampling_step")).toObject();
        out << QStringLiteral("SD1.5 at %1 x %1 on %2, %3 threads (%4)\n").arg(report.value(QStringLiteral("resolution")).toInt())
                   .arg(report.value(QStringLiteral("device")).toString()).arg(report.value(QStringLiteral("threads")).toInt())
                   .arg(report.value(QStringLiteral("model")).toString());
        out << QStringLiteral("sampling step with CFG (UNet batch 2): %1 s (first %2 s), %3 GFLOP/s; %4 matmul %5 GFLOP/s\n")
                   .arg(step.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 2)
                   .arg(step.value(QStringLiteral("first_seconds")).toDouble(), 0, 'f', 2)
                   .arg(step.value(QStringLiteral("gflops")).toDouble(), 0, 'f', 1)
                   .arg(report.value(QStringLiteral("matmul_kind")).toString())
                   .arg(report.value(QStringLiteral("matmul_gflops")).toDouble(), 0, 'f', 1);
        out << QStringLiteral("VAE decode of one image: %1 s; one 30-step image: about %2 s\n")
                   .arg(report.value(QStringLiteral("vae_decode_seconds")).toDouble(), 0, 'f', 2)
                   .arg(report.value(QStringLiteral("image_30_steps_seconds")).toDouble(), 0, 'f', 0);
        if (report.contains(QStringLiteral("lora_train_step"))) {
            const QJsonObject train = report.value(QStringLiteral("lora_train_step")).toObject();
            out << QStringLiteral("LoRA training step, batch %1: %2 s (%3 steps/s)\n").arg(train.value(QStringLiteral("batch")).toInt())
                       .arg(train.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 3)
                       .arg(train.value(QStringLiteral("steps_per_second")).toDouble(), 0, 'f', 2);
        }
        out << QStringLiteral("peak memory %1 MiB\n").arg(report.value(QStringLiteral("peak_rss_mib")).toDouble(), 0, 'f', 0);
        return ExitOk;
    }
    BenchmarkOptions options;
    options.cpuBf16 = cpuBf16;
    if (quick) {   // a smoke run of every measurement in seconds, for tests
        options.trainBatch = 4;
        options.trainSteps = 1;
        options.sampleImages = 2;
        options.sampleSteps = 3;
        options.vaeBatch = 2;
        options.analysis = {16, 64, 100, 64, 200, 16};
    }
    // The peer is looked for first, so that a missing python3 or torch fails in a second, not after the benchmark.
    const std::optional<PeerProgram> peerProgram = peer ? std::optional<PeerProgram>(findPeerProgram()) : std::nullopt;
    QJsonObject report = runBenchmarks(options);
    if (peerProgram)
        report.insert(QStringLiteral("peer"), runPeerBenchmark(*peerProgram, options, pairs.value_or(5)));
    noteKernels(report, out, asJson);
    if (asJson) {
        out << jsonText(report);
        return ExitOk;
    }
    const QJsonObject train = report.value(QStringLiteral("train_step")).toObject();
    const QJsonObject sampling = report.value(QStringLiteral("sampling")).toObject();
    const QJsonObject vae = report.value(QStringLiteral("vae")).toObject();
    const QJsonObject chain = report.value(QStringLiteral("chain_iteration_estimate")).toObject();
    const QJsonObject analysis = report.value(QStringLiteral("analysis")).toObject();
    out << QStringLiteral("device %1, %2 threads, %3\n").arg(report.value(QStringLiteral("device")).toString())
               .arg(report.value(QStringLiteral("threads")).toInt()).arg(report.value(QStringLiteral("blas")).toString());
    const QJsonObject matmul = report.value(QStringLiteral("matmul")).toObject();
    out << QStringLiteral("%1 matmul 1024: %2 GFLOP/s").arg(matmul.value(QStringLiteral("dtype")).toString())
               .arg(matmul.value(QStringLiteral("gflops")).toDouble(), 0, 'f', 1);
    if (report.contains(QStringLiteral("float32_matmul_gflops")))
        out << QStringLiteral(" (float32: %1; the model's matrix products run in bf16, cpu_matmuls = bf16)")
                   .arg(report.value(QStringLiteral("float32_matmul_gflops")).toDouble(), 0, 'f', 1);
    out << QLatin1Char('\n');
    out << QStringLiteral("UNet LoRA training step, batch %1: best %2 s (mean %7 s), executed %3 GFLOP/s (%4% of matmul), "
                          "model %5 GFLOP/s (%6%)\n")
               .arg(train.value(QStringLiteral("batch")).toInt())
               .arg(train.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 3)
               .arg(train.value(QStringLiteral("gflops")).toDouble(), 0, 'f', 1)
               .arg(100 * train.value(QStringLiteral("fraction_of_matmul")).toDouble(), 0, 'f', 0)
               .arg(train.value(QStringLiteral("model_gflops")).toDouble(), 0, 'f', 1)
               .arg(100 * train.value(QStringLiteral("model_fraction_of_matmul")).toDouble(), 0, 'f', 0)
               .arg(train.value(QStringLiteral("mean_seconds")).toDouble(), 0, 'f', 3);
    out << QStringLiteral("sampling, %1 steps with CFG: %2 images/s\n").arg(sampling.value(QStringLiteral("steps")).toInt())
               .arg(sampling.value(QStringLiteral("images_per_second")).toDouble(), 0, 'f', 2);
    out << QStringLiteral("VAE: encode %1 images/s, decode %2 images/s\n")
               .arg(vae.value(QStringLiteral("encode_images_per_second")).toDouble(), 0, 'f', 1)
               .arg(vae.value(QStringLiteral("decode_images_per_second")).toDouble(), 0, 'f', 1);
    out << QStringLiteral("chain iteration (%1 steps at batch %2 + %3 images): %4 s\n")
               .arg(chain.value(QStringLiteral("finetune_steps")).toInt()).arg(chain.value(QStringLiteral("finetune_batch")).toInt())
               .arg(chain.value(QStringLiteral("images")).toInt()).arg(chain.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 0);
    const QJsonObject spectra = analysis.value(QStringLiteral("spectra_and_fingerprints")).toObject();
    out << QStringLiteral("spectra + fingerprints of %1 images %2x%2: %3 s\n")
               .arg(spectra.value(QStringLiteral("images")).toInt()).arg(spectra.value(QStringLiteral("size")).toInt())
               .arg(spectra.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 1);
    const QJsonObject fd = analysis.value(QStringLiteral("frechet_distance")).toObject();
    out << QStringLiteral("Frechet distance on %1 x %2 features: %3 s\n")
               .arg(fd.value(QStringLiteral("rows")).toInt()).arg(fd.value(QStringLiteral("columns")).toInt())
               .arg(fd.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 2);
    const QJsonObject tsne = analysis.value(QStringLiteral("tsne")).toObject();
    out << QStringLiteral("t-SNE of %1 points: %2 s\n").arg(tsne.value(QStringLiteral("points")).toInt())
               .arg(tsne.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 1);
    out << QStringLiteral("peak memory: %1 MiB\n").arg(report.value(QStringLiteral("peak_rss_mib")).toDouble(), 0, 'f', 0);
    if (peerProgram)
        printPeer(report.value(QStringLiteral("peer")).toObject(), out);
    return ExitOk;
}

} // namespace redifine::cli
