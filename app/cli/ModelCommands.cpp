#include "app/cli/Commands.h"

#include "app/cli/Cli.h"
#include "app/cli/CliText.h"
#include "core/chain/ChainConfig.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/data/EmojiDataset.h"
#include "core/diffusion/CfgSchedule.h"
#include "core/diffusion/Autoencode.h"
#include "core/diffusion/GenerateCommand.h"
#include "core/models/GoldenCheck.h"
#include "core/runtime/BlasTuning.h"
#include "core/train/Pretrain.h"
#include "core/train/TinyClipTraining.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace redifine::cli {

namespace {

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

// --model F [--sd15 [--resolution 512]]: the shipped tiny base model unless a file is named.
ModelSource takeModelSource(Arguments &args, const char *command)
{
    ModelSource source;
    const std::optional<QString> model = args.takeValue(QStringLiteral("--model"));
    source.path = model.value_or(defaultTinyModelPath());
    source.stableDiffusion = args.takeFlag(QStringLiteral("--sd15"));
    if (source.stableDiffusion && !model)
        throw InputError(std::string(command) + " --sd15: give your Stable Diffusion 1.5 checkpoint with --model (a .safetensors file or a diffusers folder)");
    if (source.path.isEmpty())
        throw InputError(std::string(command) + " --model: no model given and no shipped tiny base model found");
    source.resolution = args.takeInt(QStringLiteral("--resolution")).value_or(512);
    return source;
}

} // namespace

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
    options.variants = args.takeInt(QStringLiteral("--variants")).value_or(1);
    if (options.variants < 1 || options.variants > kMaxEmojiVariants)
        throw InputError(QStringLiteral("dataset --variants: must lie in 1..%1").arg(kMaxEmojiVariants).toStdString());
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

namespace {

constexpr int kMaxTrainingSteps = 10'000'000;

// What pretrain and pretrain-clip read alike, into either's options; `steps` is the count --steps sets. Call
// after the command's own options; it finishes the arguments and checks them.
template <typename Options>
void takeTrainingRunOptions(Arguments &args, Options &options, int &steps, const char *command)
{
    options.dataDir = args.takeRequiredValue(QStringLiteral("--data"));
    options.outDir = args.takeRequiredValue(QStringLiteral("--out"));
    steps = args.takeInt(QStringLiteral("--steps")).value_or(steps);
    options.batchSize = args.takeInt(QStringLiteral("--batch")).value_or(options.batchSize);
    options.checkpointEvery = args.takeInt(QStringLiteral("--checkpoint-every")).value_or(options.checkpointEvery);
    const int seed = args.takeInt(QStringLiteral("--seed")).value_or(0);
    options.resume = args.takeFlag(QStringLiteral("--resume"));
    args.finish();
    const auto refuse = [command](const char *option, const QString &problem) {
        throw InputError(QStringLiteral("%1 %2: %3").arg(QLatin1String(command), QLatin1String(option), problem).toStdString());
    };
    // Bounded here, so a typo fails at once instead of an hour in (a batch is first used after the autoencoder phase).
    if (steps < 0 || steps > kMaxTrainingSteps)
        refuse("--steps", QStringLiteral("must be from 0 to %1").arg(kMaxTrainingSteps));
    if (options.batchSize < 1 || options.batchSize > kMaxBatchSize)
        refuse("--batch", QStringLiteral("must be from 1 to %1").arg(kMaxBatchSize));
    if (options.checkpointEvery < 1)
        refuse("--checkpoint-every", QStringLiteral("must be at least 1"));
    if (seed < 0)
        refuse("--seed", QStringLiteral("must be a non-negative integer"));
    options.seed = uint64_t(seed);
}

} // namespace

int commandPretrain(Arguments &args, QTextStream &out)
{
    PretrainOptions options;
    options.vocabularyDir = args.takeValue(QStringLiteral("--vocabulary")).value_or(QString());
    const std::optional<int> vaeSteps = args.takeInt(QStringLiteral("--vae-steps"));
    options.unetAttention = args.takeValue(QStringLiteral("--unet-attention")).value_or(options.unetAttention);
    options.unetWidth = args.takeInt(QStringLiteral("--unet-width")).value_or(options.unetWidth);
    options.autoencoderPath = args.takeValue(QStringLiteral("--autoencoder")).value_or(QString());
    // A given autoencoder is used as it is unless --vae-steps asks to train it further.
    options.vaeSteps = vaeSteps.value_or(options.autoencoderPath.isEmpty() ? options.vaeSteps : 0);
    takeTrainingRunOptions(args, options, options.diffusionSteps, "pretrain");
    if (options.vaeSteps < 0 || options.vaeSteps > kMaxTrainingSteps)
        throw InputError(QStringLiteral("pretrain --vae-steps: must be from 0 to %1").arg(kMaxTrainingSteps).toStdString());
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
    takeTrainingRunOptions(args, options, options.steps, "pretrain-clip");
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

int commandGenerate(Arguments &args, QTextStream &out)
{
    GenerateRequest request;
    request.model = takeModelSource(args, "generate");
    request.loraPath = args.takeValue(QStringLiteral("--lora")).value_or(QString());
    request.prompts = args.takeValues(QStringLiteral("--prompt"));
    if (const std::optional<QString> file = args.takeValue(QStringLiteral("--prompts"))) {
        QFile in(*file);
        if (const QString problem = openInputFile(in, QIODevice::ReadOnly | QIODevice::Text); !problem.isEmpty())
            throw InputError(QStringLiteral("%1: cannot open (%2)").arg(*file, problem).toStdString());
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
    request.cpuBf16 = cpuMatmulsIsBf16(args.takeValue(QStringLiteral("--cpu-matmuls")).value_or(cpuMatmulsName(false)),
                                       QStringLiteral("generate --cpu-matmuls"));
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

int commandAutoencode(Arguments &args, QTextStream &out)
{
    AutoencodeRequest request;
    request.model = takeModelSource(args, "autoencode");
    request.imagesDir = args.takeRequiredValue(QStringLiteral("--images"));
    request.outDir = args.takeRequiredValue(QStringLiteral("--out"));
    args.finish();
    const AutoencodeResult result = runAutoencode(request);
    out << QStringLiteral("%1 images through the autoencoder of %2 into %3: PSNR %4 dB\n")
               .arg(result.images).arg(request.model.path, request.outDir).arg(result.psnr, 0, 'f', 2);
    return ExitOk;
}

int commandCheckGolden(Arguments &args, QTextStream &out)
{
    const std::optional<QString> dir = args.takePositional();
    args.finish();
    if (!dir)
        throw InputError("redifine check-golden: give the golden folder: redifine check-golden DIR");
    const QList<GoldenCase> cases = checkGoldenFolder(*dir);
    int failed = 0, files = 0, failedFiles = 0;
    out << QStringLiteral("%1  %2  %3  %4\n").arg(QStringLiteral("case"), -44).arg(QStringLiteral("max abs err"), 12).arg(QStringLiteral("max rel err"), 12).arg(QStringLiteral("result"));
    for (const GoldenCase &c : cases) {
        (c.fileCheck ? failedFiles : failed) += c.passed ? 0 : 1;
        files += c.fileCheck ? 1 : 0;
        out << QStringLiteral("%1  %2  %3  %4%5\n")
                   .arg(c.name, -44)
                   .arg(c.maxAbsError, 12, 'g', 3)
                   .arg(c.maxRelError, 12, 'g', 3)
                   .arg(c.passed ? QStringLiteral("pass") : QStringLiteral("FAIL"))
                   .arg(c.note.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(c.note));
    }
    const qsizetype comparisons = cases.size() - files;
    out << QStringLiteral("%1 of %2 cases pass").arg(comparisons - failed).arg(comparisons);
    if (files > 0)
        out << QStringLiteral("; %1 of %2 files as SHA256SUMS lists them").arg(files - failedFiles).arg(files);
    out << '\n';
    return failed == 0 && failedFiles == 0 ? ExitOk : ExitFailure;
}

} // namespace redifine::cli
