#include "app/cli/Cli.h"

#include "app/cli/Arguments.h"
#include "app/cli/CliText.h"
#include "app/cli/Commands.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/diffusion/CfgSchedule.h"
#include "core/runtime/RuntimeInfo.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>

namespace redifine::cli {

namespace {

struct Command
{
    QString name;
    QString summary;
    std::function<int(Arguments &, QTextStream &)> run;
};

// One line on stderr, whatever was thrown: LibTorch's errors carry their C++ backtrace after the first line.
QString firstLine(const char *message)
{
    const QString text = QString::fromUtf8(message).trimmed();
    const QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.isEmpty() ? QStringLiteral("unexpected failure") : line;
}

// --type NAME with the parameters of that shape, defaulting to the paper's ReDiFine schedule.
CfgSchedule scheduleFromArguments(Arguments &args)
{
    if (const std::optional<QString> file = args.takeValue(QStringLiteral("--file"))) {
        return CfgSchedule::fromJson(json::requireObjectFile(*file), *file);
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
    if (steps <= 0 || steps > 1000)   // the bound of a chain's sampler.steps
        throw InputError("cfg --steps: must be from 1 to 1000");
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

const QList<Command> &commands()
{
    static const QList<Command> list = {
        {QStringLiteral("info"), QStringLiteral("LibTorch version, device, threads and BLAS [--json]"), commandInfo},
        {QStringLiteral("cfg"),
         QStringLiteral("CFG schedule values [--type T --s0 --alpha --scale --start --end | --file F] [--steps N] "
                        "[--json]"),
         commandCfg},
        {QStringLiteral("bench"), QStringLiteral("measure the engine on this device against its matrix-multiply rate [--quick] [--json] "
                                                 "[--cpu-matmuls fp32|bf16] [--peer [--pairs 5]: and against eager PyTorch, python3-torch] | "
                                                 "--sd15 [--model CHECKPOINT] [--resolution 512] [--train] [--json]: SD1.5"),
         commandBench},
        {QStringLiteral("dataset"),
         QStringLiteral("emoji --out DIR [--group NAME ...] [--style noto|symbola] [--size 64] [--limit N] "
                        "[--variants 1: pictures of each emoji, moved and on light backgrounds] [--captions long|short|tags]"),
         commandDataset},
        {QStringLiteral("pretrain"),
         QStringLiteral("--data DIR --out DIR [--vocabulary DIR] [--vae-steps N] [--steps N] [--batch 32] [--unet-attention low|high] [--unet-width 1] [--autoencoder FILE] [--resume]: "
                        "train the tiny family from scratch"),
         commandPretrain},
        {QStringLiteral("pretrain-clip"),
         QStringLiteral("--data DIR --out DIR [--steps 3000] [--batch 256] [--resume]: train tiny-clip, the built-in "
                        "image-text feature model"),
         commandPretrainClip},
        {QStringLiteral("generate"),
         QStringLiteral("--out DIR --prompt TEXT [--prompt ...] [--prompts FILE] [--negative TEXT] [--model F [--sd15 [--resolution 512]]] [--lora F] [--cfg S | "
                        "--redifine] [--steps 30] [--sampler euler_a|euler|ddim] [--seed N] [--cpu-matmuls fp32|bf16] [--grid PNG]"),
         commandGenerate},
        {QStringLiteral("autoencode"),
         QStringLiteral("--images DIR --out DIR [--model F [--sd15 [--resolution 512]]]: each image through the autoencoder "
                        "and back (encoded to its latent mean), and the PSNR: the best any chain of that model can draw"),
         commandAutoencode},
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
                        "[--gpus N] [--max-parallel N] [--max-array-size N]]: run a sweep of chains here, or write it as a Slurm job array"),
         commandSweep},
        {QStringLiteral("study"),
         QStringLiteral("SWEEP_DIR [--out DIR] [--metric NAME ...] [--json]: a sweep's chains grouped over seeds: means and 95% "
                        "intervals per iteration, K-reusability, comparisons against CFG 7.5 and the best constant CFG, figures"),
         commandStudy},
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
                if (!ok || threads <= 0 || threads > 1024)   // the bound of a chain's "threads" setting
                    throw InputError("redifine --threads: expected an integer from 1 to 1024");
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
        err << "error: " << firstLine(error.what()) << '\n';
        return ExitUsage;
    } catch (const std::bad_alloc &) {
        err << "error: out of memory\n";
        return ExitFailure;
    } catch (const std::exception &error) {
        err << "error: " << firstLine(error.what()) << '\n';
        return ExitFailure;
    }
}

} // namespace redifine::cli
