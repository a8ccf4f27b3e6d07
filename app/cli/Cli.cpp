#include "app/cli/Cli.h"

#include "app/cli/AnalysisCommands.h"
#include "app/cli/Arguments.h"
#include "core/bench/Benchmark.h"
#include "core/bench/StableDiffusionBenchmark.h"
#include "core/common/Error.h"
#include "core/chain/ChainRunner.h"
#include "core/chain/Presets.h"
#include "core/chain/Sweep.h"
#include "core/common/DataPaths.h"
#include "core/io/Npy.h"
#include "core/io/RunStore.h"
#include "core/metrics/FeatureMetrics.h"
#include "core/models/GoldenCheck.h"
#include "core/data/EmojiDataset.h"
#include "core/diffusion/GenerateCommand.h"
#include "core/train/Pretrain.h"
#include "core/train/TinyClipTraining.h"
#include "core/diffusion/CfgSchedule.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>

#include <QScopeGuard>

#include <atomic>
#include <csignal>
#include <functional>

namespace redifine::cli {

namespace {

struct Command
{
    QString name;
    QString summary;
    std::function<int(Arguments &, QTextStream &)> run;
};

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

// --type NAME with the parameters of that shape, defaulting to the paper's ReDiFine schedule.
CfgSchedule scheduleFromArguments(Arguments &args)
{
    if (const std::optional<QString> file = args.takeValue(QStringLiteral("--file"))) {
        QFile in(*file);
        if (!in.open(QIODevice::ReadOnly))
            throw InputError(QStringLiteral("%1: cannot open (%2)").arg(*file, in.errorString()).toStdString());
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
        if (!document.isObject())
            throw InputError(QStringLiteral("%1: not a JSON object (%2)").arg(*file, parseError.errorString()).toStdString());
        return CfgSchedule::fromJson(document.object(), *file);
    }
    const QString type = args.takeValue(QStringLiteral("--type")).value_or(QStringLiteral("exponential"));
    if (type == QLatin1String("constant"))
        return CfgSchedule::constant(args.takeDouble(QStringLiteral("--scale")).value_or(7.5));
    if (type == QLatin1String("exponential"))
        return CfgSchedule::exponential(args.takeDouble(QStringLiteral("--s0")).value_or(7.5),
                                        args.takeDouble(QStringLiteral("--alpha")).value_or(2.0));
    if (type == QLatin1String("linear") || type == QLatin1String("cosine")) {
        const double start = args.takeDouble(QStringLiteral("--start")).value_or(7.5);
        const double end = args.takeDouble(QStringLiteral("--end")).value_or(1.0);
        return type == QLatin1String("linear") ? CfgSchedule::linear(start, end) : CfgSchedule::cosine(start, end);
    }
    throw InputError(QStringLiteral("cfg --type: unknown schedule \"%1\" (constant, exponential, linear, cosine; "
                                    "piecewise schedules come from --file)")
                         .arg(type)
                         .toStdString());
}

int commandCfg(Arguments &args, QTextStream &out)
{
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    const int steps = args.takeInt(QStringLiteral("--steps")).value_or(30);
    if (steps <= 0)
        throw InputError("cfg --steps: must be at least 1");
    const CfgSchedule schedule = scheduleFromArguments(args);
    args.finish();
    const std::vector<double> values = schedule.values(steps);
    if (asJson) {
        QJsonObject o;
        o.insert(QStringLiteral("schedule"), schedule.toJson());
        o.insert(QStringLiteral("steps"), steps);
        QJsonArray array;
        for (double v : values)
            array.append(v);
        o.insert(QStringLiteral("values"), array);
        out << jsonText(o);
    } else {
        out << schedule.describe() << ", " << steps << " steps\n";
        for (int t = 0; t < steps; ++t)
            out << QStringLiteral("%1\t%2\n").arg(t, 3).arg(values[t], 0, 'f', 6);
    }
    return ExitOk;
}

int commandInfo(Arguments &args, QTextStream &out)
{
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    const RuntimeInfo info = runtimeInfo();
    if (!asJson) {
        out << describe(info) << '\n';
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
    args.finish();
    if (!sd15 && (!sdOptions.checkpoint.isEmpty() || sdOptions.resolution != 512 || trainAsked))
        throw InputError("bench --model, --resolution, --train: only with --sd15 (the tiny family is measured with fresh weights)");
    if (sd15) {
        if (sdOptions.resolution < 64 || sdOptions.resolution % 64 != 0)
            throw InputError("bench --resolution: a multiple of 64, at least 64");
        const QJsonObject report = runStableDiffusionBenchmark(sdOptions);
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
    if (quick) {   // a smoke run of every measurement in seconds, for tests
        options.trainBatch = 4;
        options.trainSteps = 1;
        options.sampleImages = 2;
        options.sampleSteps = 3;
        options.vaeBatch = 2;
        options.analysis = {16, 64, 100, 64, 200, 16};
    }
    const QJsonObject report = runBenchmarks(options);
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
    out << QStringLiteral("float32 matmul 1024: %1 GFLOP/s\n").arg(report.value(QStringLiteral("matmul")).toObject().value(QStringLiteral("gflops")).toDouble(), 0, 'f', 1);
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
    return ExitOk;
}

int commandDataset(Arguments &args, QTextStream &out)
{
    const std::optional<QString> kind = args.takePositional();
    if (kind != QStringLiteral("emoji"))
        throw InputError("redifine dataset: expected the kind of dataset, \"emoji\"");
    EmojiDatasetOptions options;
    options.outputDir = args.takeRequiredValue(QStringLiteral("--out"));
    options.groups = args.takeValues(QStringLiteral("--group"));
    options.style = parseEmojiStyle(args.takeValue(QStringLiteral("--style")).value_or(QStringLiteral("noto")),
                                    QStringLiteral("dataset --style"));
    options.size = args.takeInt(QStringLiteral("--size")).value_or(64);
    options.limit = args.takeInt(QStringLiteral("--limit")).value_or(0);
    if (options.limit < 0)
        throw InputError("dataset --limit: must be >= 0");
    options.captions = parseCaptionStyle(args.takeValue(QStringLiteral("--captions")).value_or(QStringLiteral("long")),
                                         QStringLiteral("dataset --captions"));
    if (const std::optional<QString> path = args.takeValue(QStringLiteral("--emoji-test")))
        options.emojiTestPath = *path;
    args.finish();
    const EmojiDatasetReport report = writeEmojiDataset(options);
    out << QStringLiteral("%1: %2 images written, %3 skipped (glyphs the font cannot draw)\n")
               .arg(options.outputDir)
               .arg(report.written)
               .arg(report.skipped);
    return ExitOk;
}

// One progress line every two seconds (and the last step's) for the long training commands.
class TrainingProgressPrinter
{
public:
    explicit TrainingProgressPrinter(QTextStream &out) : m_out(out) { m_lastLine.start(); }
    void print(const QString &phase, int step, int totalSteps, double loss, double secondsPerStep, double etaSeconds)
    {
        if (m_lastLine.elapsed() < 2000 && step != totalSteps)
            return;
        m_lastLine.restart();
        m_out << QStringLiteral("%1 %2/%3 loss %4 | %5 s/step | ETA %6 min\n")
                     .arg(phase)
                     .arg(step)
                     .arg(totalSteps)
                     .arg(loss, 0, 'f', 4)
                     .arg(secondsPerStep, 0, 'f', 2)
                     .arg(etaSeconds / 60.0, 0, 'f', 1);
        m_out.flush();
    }

private:
    QTextStream &m_out;
    QElapsedTimer m_lastLine;
};

int commandPretrain(Arguments &args, QTextStream &out)
{
    PretrainOptions options;
    options.dataDir = args.takeRequiredValue(QStringLiteral("--data"));
    options.outDir = args.takeRequiredValue(QStringLiteral("--out"));
    options.vaeSteps = args.takeInt(QStringLiteral("--vae-steps")).value_or(options.vaeSteps);
    options.diffusionSteps = args.takeInt(QStringLiteral("--steps")).value_or(options.diffusionSteps);
    options.batchSize = args.takeInt(QStringLiteral("--batch")).value_or(options.batchSize);
    options.checkpointEvery = args.takeInt(QStringLiteral("--checkpoint-every")).value_or(options.checkpointEvery);
    options.seed = uint64_t(args.takeInt(QStringLiteral("--seed")).value_or(0));
    options.resume = args.takeFlag(QStringLiteral("--resume"));
    args.finish();
    if (options.checkpointEvery < 1)
        throw InputError("pretrain --checkpoint-every: must be at least 1");
    TrainingProgressPrinter printer(out);
    const PretrainResult result = pretrain(options, [&](const PretrainProgress &p) {
        printer.print(p.phase, p.step, p.totalSteps, p.loss, p.secondsPerStep, p.etaSeconds);
    });
    out << QStringLiteral("model: %1\nautoencoder held-out PSNR: %2 dB, latent scale %3\n")
               .arg(result.modelPath)
               .arg(result.heldOutPsnr, 0, 'f', 2)
               .arg(result.latentScale, 0, 'f', 5);
    return ExitOk;
}

int commandPretrainClip(Arguments &args, QTextStream &out)
{
    TinyClipTrainOptions options;
    options.dataDir = args.takeRequiredValue(QStringLiteral("--data"));
    options.outDir = args.takeRequiredValue(QStringLiteral("--out"));
    options.steps = args.takeInt(QStringLiteral("--steps")).value_or(options.steps);
    options.batchSize = args.takeInt(QStringLiteral("--batch")).value_or(options.batchSize);
    options.checkpointEvery = args.takeInt(QStringLiteral("--checkpoint-every")).value_or(options.checkpointEvery);
    options.seed = uint64_t(args.takeInt(QStringLiteral("--seed")).value_or(0));
    options.resume = args.takeFlag(QStringLiteral("--resume"));
    args.finish();
    if (options.checkpointEvery < 1)
        throw InputError("pretrain-clip --checkpoint-every: must be at least 1");
    TrainingProgressPrinter printer(out);
    const TinyClipResult result = trainTinyClip(options, [&](const TinyClipProgress &p) {
        printer.print(QStringLiteral("tiny-clip"), p.step, p.totalSteps, p.loss, p.secondsPerStep,
                      p.secondsPerStep * (p.totalSteps - p.step));
    });
    out << QStringLiteral("model: %1\nheld-out retrieval among %2 images: caption to image top-1 %3%, top-5 %4%; "
                          "image to caption top-1 %5%, top-5 %6%\n")
               .arg(result.modelPath)
               .arg(result.captionToImage.candidates)
               .arg(100 * result.captionToImage.top1, 0, 'f', 1)
               .arg(100 * result.captionToImage.top5, 0, 'f', 1)
               .arg(100 * result.imageToCaption.top1, 0, 'f', 1)
               .arg(100 * result.imageToCaption.top5, 0, 'f', 1);
    return ExitOk;
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    if (seconds < 90)
        return QStringLiteral("%1 s").arg(int(seconds + 0.5));
    return QStringLiteral("%1 min").arg(seconds / 60.0, 0, 'f', 1);
}

int commandGenerate(Arguments &args, QTextStream &out)
{
    GenerateRequest request;
    const std::optional<QString> model = args.takeValue(QStringLiteral("--model"));
    request.modelPath = model.value_or(defaultTinyModelPath());
    request.loraPath = args.takeValue(QStringLiteral("--lora")).value_or(QString());
    request.stableDiffusion = args.takeFlag(QStringLiteral("--sd15"));
    if (request.stableDiffusion && !model)
        throw InputError("generate --sd15: give your Stable Diffusion 1.5 checkpoint with --model (a .safetensors file or a diffusers folder)");
    request.resolution = args.takeInt(QStringLiteral("--resolution")).value_or(512);
    request.prompts = args.takeValues(QStringLiteral("--prompt"));
    if (const std::optional<QString> file = args.takeValue(QStringLiteral("--prompts"))) {
        QFile in(*file);
        if (!in.open(QIODevice::ReadOnly | QIODevice::Text))
            throw InputError(QStringLiteral("%1: cannot open (%2)").arg(*file, in.errorString()).toStdString());
        for (const QString &line : QString::fromUtf8(in.readAll()).split(QLatin1Char('\n')))
            if (!line.trimmed().isEmpty())
                request.prompts << line.trimmed();
    }
    request.negativePrompt = args.takeValue(QStringLiteral("--negative")).value_or(QString());
    request.outDir = args.takeRequiredValue(QStringLiteral("--out"));
    request.gridPath = args.takeValue(QStringLiteral("--grid")).value_or(QString());
    request.sampler = parseSampler(args.takeValue(QStringLiteral("--sampler")).value_or(QStringLiteral("euler_a")),
                                   QStringLiteral("generate --sampler"));
    request.spacing = parseSpacing(args.takeValue(QStringLiteral("--spacing")).value_or(QStringLiteral("linspace")),
                                   QStringLiteral("generate --spacing"));
    request.steps = args.takeInt(QStringLiteral("--steps")).value_or(30);
    request.seed = uint64_t(args.takeInt(QStringLiteral("--seed")).value_or(0));
    if (const std::optional<double> scale = args.takeDouble(QStringLiteral("--cfg")))
        request.cfg = CfgSchedule::constant(*scale);
    else if (args.takeFlag(QStringLiteral("--redifine")))
        request.cfg = CfgSchedule::exponential(7.5, 2.0);
    args.finish();
    // Progress on stderr (stdout lists the files), at most every 2 s: SD1.5 on a CPU takes minutes an image.
    QElapsedTimer sinceLine;
    sinceLine.start();
    const auto progress = [&](double fraction, double eta) {
        if (sinceLine.elapsed() < 2000)
            return;
        sinceLine.restart();
        std::fprintf(stderr, "generating: %.0f%%, ETA %s\n", 100.0 * fraction, qPrintable(durationText(eta)));
    };
    for (const QString &path : runGenerate(request, progress))
        out << path << '\n';
    return ExitOk;
}


QJsonObject readConfigFile(const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, in.errorString()).toStdString());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: not a JSON object (%2)").arg(path, error.errorString()).toStdString());
    return mergeJson(ChainConfig().toJson(), document.object());
}

// Runs a chain with one progress line per phase change or second.
// Set by SIGINT or SIGTERM while a chain runs; the runner polls it between steps, so Ctrl+C stops within a
// step and leaves the run folder consistent and resumable.
std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

int runChainWithProgress(const ChainConfig &config, const QString &runDir, QTextStream &out)
{
    g_interrupted.store(false);
    const auto previousInt = std::signal(SIGINT, onInterrupt);
    const auto previousTerm = std::signal(SIGTERM, onInterrupt);
    const auto restore = qScopeGuard([&] {
        std::signal(SIGINT, previousInt);
        std::signal(SIGTERM, previousTerm);
    });
    QElapsedTimer lastLine;
    lastLine.start();
    QString lastPhase;
    ChainCallbacks callbacks;
    callbacks.progress = [&](const ChainProgress &p) {
        if (p.phase == lastPhase && lastLine.elapsed() < 1000 && p.step != p.total)
            return;
        lastPhase = p.phase;
        lastLine.restart();
        out << QStringLiteral("[iteration %1/%2] %3").arg(p.iteration).arg(p.iterations).arg(p.phase);
        if (p.total > 0)
            out << QStringLiteral(" %1/%2").arg(p.step).arg(p.total);
        if (p.phase == QLatin1String("finetune"))
            out << QStringLiteral(" loss %1").arg(p.loss, 0, 'f', 4);
        if (p.etaSeconds >= 0)
            out << QStringLiteral(" ETA %1").arg(durationText(p.etaSeconds));
        out << '\n';
        out.flush();
    };
    callbacks.iterationDone = [&](int k) {
        out << QStringLiteral("[iteration %1/%2] done: %3\n").arg(k).arg(config.iterations).arg(RunStore(runDir).iterationDir(k));
        out.flush();
    };
    callbacks.cancelled = [] { return g_interrupted.load(); };
    if (!runChain(config, runDir, callbacks)) {
        out << QStringLiteral("interrupted; every completed iteration and image is kept. Continue with:\n"
                              "  redifine chain --resume %1\n").arg(runDir);
        return ExitInterrupted;
    }
    out << QStringLiteral("chain complete: %1\n").arg(runDir);
    return ExitOk;
}

int commandChain(Arguments &args, QTextStream &out)
{
    if (args.takeFlag(QStringLiteral("--print-default"))) {
        args.finish();
        out << jsonText(ChainConfig().toJson());
        return ExitOk;
    }
    if (args.takeFlag(QStringLiteral("--presets"))) {
        args.finish();
        for (const auto &[name, description] : listPresets())
            out << QStringLiteral("%1  %2\n").arg(name, -28).arg(description);
        return ExitOk;
    }
    const std::optional<QString> resume = args.takeValue(QStringLiteral("--resume"));
    const std::optional<QString> configFile = args.takeValue(QStringLiteral("--config"));
    const std::optional<QString> preset = args.takeValue(QStringLiteral("--preset"));
    const QStringList overrides = args.takeValues(QStringLiteral("--set"));
    QString runDir;
    ChainConfig config;
    if (resume) {
        if (configFile || preset || !overrides.isEmpty())
            throw InputError("chain --resume: takes the settings from the run folder; drop --config, --preset and --set");
        runDir = *resume;
        config = chainConfigOfRun(runDir);
    } else {
        if (bool(configFile) == bool(preset))
            throw InputError("redifine chain: give exactly one of --config FILE, --preset NAME or --resume RUN");
        runDir = args.takeRequiredValue(QStringLiteral("--out"));
        QJsonObject json = configFile ? readConfigFile(*configFile) : presetConfig(*preset);
        for (const QString &assignment : overrides)
            applyOverride(json, assignment);
        config = ChainConfig::fromJson(json);
    }
    args.finish();
    return runChainWithProgress(config, runDir, out);
}

int commandSweep(Arguments &args, QTextStream &out)
{
    const std::optional<QString> planPath = args.takePositional();
    if (!planPath)
        throw InputError("redifine sweep: give the plan file: redifine sweep PLAN.json --out DIR");
    const QString dir = args.takeRequiredValue(QStringLiteral("--out"));
    const bool slurm = args.takeFlag(QStringLiteral("--slurm"));
    const bool submit = args.takeFlag(QStringLiteral("--submit"));
    const SweepPlan plan = readSweepPlan(*planPath);
    SlurmOptions options = slurmOptionsOf(plan);
    options.partition = args.takeValue(QStringLiteral("--partition")).value_or(options.partition);
    options.cpusPerTask = args.takeInt(QStringLiteral("--cpus")).value_or(options.cpusPerTask);
    options.memory = args.takeValue(QStringLiteral("--mem")).value_or(options.memory);
    options.time = args.takeValue(QStringLiteral("--time")).value_or(options.time);
    options.gpus = args.takeInt(QStringLiteral("--gpus")).value_or(options.gpus);
    options.maxParallel = args.takeInt(QStringLiteral("--max-parallel")).value_or(options.maxParallel);
    args.finish();
    if (submit && !slurm)
        throw InputError("sweep --submit: only with --slurm");
    if (options.cpusPerTask < 1 || options.gpus < 0 || options.maxParallel < 0)
        throw InputError("sweep: --cpus must be at least 1, --gpus and --max-parallel at least 0");
    writeSweepFolder(plan, dir);
    out << QStringLiteral("sweep %1: %2 chains in %3\n").arg(plan.name).arg(plan.chains.size()).arg(QFileInfo(dir).absoluteFilePath());

    if (slurm) {
        const QString script = QDir(dir).filePath(QStringLiteral("sweep.sbatch"));
        QDir().mkpath(QDir(dir).filePath(QStringLiteral("logs")));
        RunStore(dir).writeText(script, slurmScript(plan, dir, options, QCoreApplication::applicationFilePath()).toUtf8());
        QFile::setPermissions(script, QFile::permissions(script) | QFileDevice::ExeOwner);
        if (!submit) {
            out << QStringLiteral("Slurm job array written: submit it with\n  sbatch %1\n").arg(QFileInfo(script).absoluteFilePath());
            return ExitOk;
        }
        QProcess sbatch;
        sbatch.start(QStringLiteral("sbatch"), {QStringLiteral("--parsable"), script});
        if (!sbatch.waitForFinished(60000) || sbatch.exitStatus() != QProcess::NormalExit || sbatch.exitCode() != 0)
            throw RuntimeError(QStringLiteral("sbatch %1 failed: %2%3")
                                   .arg(script, sbatch.errorString(), QString::fromUtf8(sbatch.readAllStandardError()).trimmed())
                                   .toStdString());
        out << QStringLiteral("submitted job array %1\n").arg(QString::fromUtf8(sbatch.readAllStandardOutput()).trimmed());
        return ExitOk;
    }

    int skipped = 0;
    for (const SweepChain &chain : plan.chains) {
        const QString runDir = QDir(dir).filePath(chain.name);
        if (isChainComplete(runDir)) {
            ++skipped;
            continue;
        }
        out << QStringLiteral("== %1\n").arg(chain.name);
        out.flush();
        const int code = runChainWithProgress(ChainConfig::fromJson(chain.config), runDir, out);
        if (code != ExitOk)
            return code;
    }
    out << QStringLiteral("sweep complete: %1 chains (%2 were already complete)\n").arg(plan.chains.size()).arg(skipped);
    return ExitOk;
}

int commandCheckGolden(Arguments &args, QTextStream &out)
{
    const std::optional<QString> dir = args.takePositional();
    args.finish();
    if (!dir)
        throw InputError("redifine check-golden: give the golden folder: redifine check-golden DIR");
    const QList<GoldenCase> cases = checkGoldenFolder(*dir);
    int failed = 0;
    out << QStringLiteral("%1  %2  %3  %4\n").arg(QStringLiteral("case"), -44).arg(QStringLiteral("max abs err"), 12).arg(QStringLiteral("max rel err"), 12).arg(QStringLiteral("result"));
    for (const GoldenCase &c : cases) {
        failed += c.passed ? 0 : 1;
        out << QStringLiteral("%1  %2  %3  %4%5\n")
                   .arg(c.name, -44)
                   .arg(c.maxAbsError, 12, 'g', 3)
                   .arg(c.maxRelError, 12, 'g', 3)
                   .arg(c.passed ? QStringLiteral("pass") : QStringLiteral("FAIL"))
                   .arg(c.note.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(c.note));
    }
    out << QStringLiteral("%1 of %2 cases pass\n").arg(cases.size() - failed).arg(cases.size());
    return failed == 0 ? ExitOk : ExitFailure;
}

int commandMetrics(Arguments &args, QTextStream &out)
{
    const std::optional<QString> kind = args.takePositional();
    if (kind == QStringLiteral("run"))
        return commandMetricsRun(args, out);
    if (kind != QStringLiteral("fd"))
        throw InputError("redifine metrics: expected \"fd\" (feature files in, metrics out) or \"run\" (image folders in)");
    const QString pathA = args.takeRequiredValue(QStringLiteral("--features-a"));
    const QString pathB = args.takeRequiredValue(QStringLiteral("--features-b"));
    const bool all = args.takeFlag(QStringLiteral("--all"));
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    const NpyArray a = readNpy(pathA);
    const NpyArray b = readNpy(pathB);
    QJsonObject o{{QStringLiteral("fd"), frechetDistance(a, b).fd}};
    if (all) {
        o.insert(QStringLiteral("kid"), kernelDistance(a, b));
        const PrdcResult prdc = precisionRecallDensityCoverage(a, b);
        o.insert(QStringLiteral("precision"), prdc.precision);
        o.insert(QStringLiteral("recall"), prdc.recall);
        o.insert(QStringLiteral("density"), prdc.density);
        o.insert(QStringLiteral("coverage"), prdc.coverage);
    }
    if (asJson) {
        out << jsonText(o);
    } else {
        for (auto it = o.begin(); it != o.end(); ++it)
            out << QStringLiteral("%1: %2\n").arg(it.key()).arg(it.value().toDouble(), 0, 'g', 10);
    }
    return ExitOk;
}

int commandDemo(Arguments &args, QTextStream &out)
{
    args.finish();
    out << describe(runtimeInfo()) << "\n\n";
    const MatmulRate rate = measureMatmulRate(512, 3);
    out << QStringLiteral("This machine's float32 matrix-multiply rate: %1 GFLOP/s\n\n").arg(rate.gflops, 0, 'f', 1);
    const int steps = 30;
    const CfgSchedule paperDefault = CfgSchedule::constant(7.5);
    const CfgSchedule redifine = CfgSchedule::exponential(7.5, 2.0);
    out << "Guidance scale per Euler-ancestral step (paper default vs ReDiFine, T = 30):\n";
    out << "  step  constant 7.5  exponential s0=7.5 alpha=2\n";
    for (int t = 0; t < steps; t += 5)
        out << QStringLiteral("  %1  %2  %3\n")
                   .arg(t, 4)
                   .arg(paperDefault.scaleAt(t, steps), 12, 'f', 3)
                   .arg(redifine.scaleAt(t, steps), 12, 'f', 3);
    if (defaultTinyModelPath().isEmpty()) {
        out << "\nThe shipped tiny base model was not found, so no chain runs here.\n";
        return ExitOk;
    }
    // A real Chain of Diffusion on the shipped tiny model: the quick ReDiFine preset, resumable.
    const QString runDir = QDir::current().filePath(QStringLiteral("runs/demo-redifine-quick"));
    out << QStringLiteral("\nRunning the quick ReDiFine chain (16 animal emoji, 3 iterations) into %1\n"
                          "(redifine chain --preset redifine-quick --out %1)\n\n").arg(runDir);
    out.flush();
    return runChainWithProgress(ChainConfig::fromJson(presetConfig(QStringLiteral("redifine-quick"))), runDir, out);
}

const QList<Command> &commands()
{
    static const QList<Command> list = {
        {QStringLiteral("info"), QStringLiteral("LibTorch version, device, threads and BLAS [--json]"), commandInfo},
        {QStringLiteral("cfg"),
         QStringLiteral("CFG schedule values [--type T --s0 --alpha --scale --start --end | --file F] [--steps N] "
                        "[--json]"),
         commandCfg},
        {QStringLiteral("bench"), QStringLiteral("measure the engine on this device against its matrix-multiply rate [--quick] [--json] | "
                                                 "--sd15 [--model CHECKPOINT] [--resolution 512] [--train] [--json]: SD1.5"),
         commandBench},
        {QStringLiteral("dataset"),
         QStringLiteral("emoji --out DIR [--group NAME ...] [--style noto|symbola] [--size 64] [--limit N] "
                        "[--captions long|short|tags]"),
         commandDataset},
        {QStringLiteral("pretrain"),
         QStringLiteral("--data DIR --out DIR [--vae-steps N] [--steps N] [--batch 32] [--resume]: train the tiny "
                        "family from scratch"),
         commandPretrain},
        {QStringLiteral("pretrain-clip"),
         QStringLiteral("--data DIR --out DIR [--steps 3000] [--batch 256] [--resume]: train tiny-clip, the built-in "
                        "image-text feature model"),
         commandPretrainClip},
        {QStringLiteral("generate"),
         QStringLiteral("--out DIR --prompt TEXT [--prompt ...] [--prompts FILE] [--negative TEXT] [--model F [--sd15 [--resolution 512]]] [--lora F] [--cfg S | "
                        "--redifine] [--steps 30] [--sampler euler_a|euler|ddim] [--seed N] [--grid PNG]"),
         commandGenerate},
        {QStringLiteral("chain"),
         QStringLiteral("--preset NAME | --config FILE --out RUN [--set key=value ...] | --resume RUN | --presets | "
                        "--print-default"),
         commandChain},
        {QStringLiteral("check-golden"),
         QStringLiteral("DIR: run every case of a golden folder (UNet, VAE, CLIP text, schedule, tokenizer, single-file "
                        "checkpoint) and print the errors; exit 0 only if all pass"),
         commandCheckGolden},
        {QStringLiteral("sweep"),
         QStringLiteral("PLAN.json --out DIR [--slurm [--submit] [--partition P] [--cpus N] [--mem 16G] [--time T] "
                        "[--gpus N] [--max-parallel N]]: run a sweep of chains here, or write it as a Slurm job array"),
         commandSweep},
        {QStringLiteral("metrics"),
         QStringLiteral("fd --features-a A.npy --features-b B.npy [--all] [--json]: Frechet distance (and KID, "
                        "precision, recall, density, coverage) | run --reference DIR --images DIR [--prompts FILE] "
                        "[--features tiny-clip|dinov2:PATH|clip:PATH] [--json]: every metric of an image folder"),
         commandMetrics},
        {QStringLiteral("spectrum"),
         QStringLiteral("--images DIR | --latents FILE [--npy spectrum.npy] [--json]: radial and angular power spectra, "
                        "2-D average spectrum"),
         commandSpectrum},
        {QStringLiteral("fingerprint"),
         QStringLiteral("--images DIR --out DIR: noise-residual spectrum and autocorrelation (.npy and .png)"),
         commandFingerprint},
        {QStringLiteral("tsne"),
         QStringLiteral("--features A.npy [B.npy ...] --out Y.npy [--perplexity 30] [--iterations 1000] [--theta 0.5] "
                        "[--seed N]"),
         commandTsne},
        {QStringLiteral("demo"), QStringLiteral("a short tour: runtime, CFG schedules, then a quick ReDiFine chain on the shipped tiny model"), commandDemo},
    };
    return list;
}

QString helpText()
{
    QString text = QStringLiteral(
        "Usage: redifine [--threads N] COMMAND [OPTIONS]\n"
        "Run and analyse Chains of Diffusion (ReDiFine).\n\n"
        "Commands:\n");
    for (const Command &c : commands())
        text += QStringLiteral("  %1  %2\n").arg(c.name, -8).arg(c.summary);
    text += QStringLiteral(
        "\nGlobal options:\n"
        "  --threads N  intra-op threads (default: REDIFINE_THREADS, else all cores)\n"
        "  --version    print the version, LibTorch, device and threads\n"
        "  --help       print this help\n"
        "\nExit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");
    return text;
}

} // namespace

int run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    try {
        QStringList rest = arguments;
        // Global options come before the command.
        int threads = 0;
        while (!rest.isEmpty() && rest.first().startsWith(QLatin1String("--"))) {
            const QString option = rest.takeFirst();
            if (option == QLatin1String("--help") || option == QLatin1String("-h")) {
                out << helpText();
                return ExitOk;
            }
            if (option == QLatin1String("--version")) {
                configureThreads(threads);
                out << describe(runtimeInfo()) << '\n';
                return ExitOk;
            }
            if (option == QLatin1String("--threads")) {
                bool ok = false;
                threads = rest.isEmpty() ? 0 : rest.takeFirst().toInt(&ok);
                if (!ok || threads <= 0)
                    throw InputError("redifine --threads: expected a positive integer");
                continue;
            }
            throw InputError(QStringLiteral("redifine: unknown option \"%1\" (see redifine --help)")
                                 .arg(option)
                                 .toStdString());
        }
        if (rest.isEmpty())
            throw InputError("redifine: missing command (see redifine --help)");
        const QString name = rest.takeFirst();
        for (const Command &command : commands()) {
            if (command.name != name)
                continue;
            configureThreads(threads);
            Arguments args(QStringLiteral("redifine ") + name, rest);
            if (args.takeFlag(QStringLiteral("--help"))) {
                out << QStringLiteral("Usage: redifine %1 %2\n").arg(command.name, command.summary);
                return ExitOk;
            }
            return command.run(args, out);
        }
        throw InputError(QStringLiteral("redifine: unknown command \"%1\" (see redifine --help)").arg(name).toStdString());
    } catch (const InputError &error) {
        err << "error: " << error.what() << '\n';
        return ExitUsage;
    } catch (const std::exception &error) {
        err << "error: " << error.what() << '\n';
        return ExitFailure;
    }
}

} // namespace redifine::cli
