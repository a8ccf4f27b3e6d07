#include "app/cli/Commands.h"

#include "app/cli/Cli.h"
#include "app/cli/CliText.h"
#include "core/chain/ChainRunner.h"
#include "core/chain/Presets.h"
#include "core/chain/Sweep.h"
#include "core/common/AtomicFile.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/diffusion/CfgSchedule.h"
#include "core/io/RunStore.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>

#include <atomic>
#include <csignal>

namespace redifine::cli {

namespace {

QJsonObject readConfigFile(const QString &path)
{
    return mergeJson(ChainConfig().toJson(), json::requireObjectFile(path));
}

// Set by SIGINT or SIGTERM while a chain runs; the runner polls it between steps, so Ctrl+C stops within a
// step and leaves the run folder consistent and resumable.
std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

// Runs a chain with one progress line per phase change or second.
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
    callbacks.warning = [](const QString &text) {
        QTextStream err(stderr);
        err << "warning: " << text << '\n';
    };
    if (!runChain(config, runDir, callbacks)) {
        out << QStringLiteral("interrupted; every completed iteration and image is kept. Continue with:\n"
                              "  redifine chain --resume %1\n").arg(runDir);
        return ExitInterrupted;
    }
    out << QStringLiteral("chain complete: %1\n").arg(runDir);
    return ExitOk;
}

} // namespace

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
    options.maxArraySize = args.takeInt(QStringLiteral("--max-array-size")).value_or(options.maxArraySize);
    args.finish();
    if (submit && !slurm)
        throw InputError("sweep --submit: only with --slurm");
    // The script is made (and every value in it checked) before anything is written.
    const QString script = slurm ? slurmScript(plan, dir, options, QCoreApplication::applicationFilePath()) : QString();
    writeSweepFolder(plan, dir);
    out << QStringLiteral("sweep %1: %2 chains in %3\n").arg(plan.name).arg(plan.chains.size()).arg(QFileInfo(dir).absoluteFilePath());

    if (slurm) {
        const QString scriptPath = QDir(dir).filePath(QStringLiteral("sweep.sbatch"));
        if (const QString why = makeFolder(QDir(dir).filePath(QStringLiteral("logs"))); !why.isEmpty())
            throw RuntimeError(QStringLiteral("%1: cannot create the logs folder (%2)").arg(dir, why).toStdString());
        RunStore(dir).writeText(scriptPath, script.toUtf8());
        QFile::setPermissions(scriptPath, QFile::permissions(scriptPath) | QFileDevice::ExeOwner);
        if (!submit) {
            out << QStringLiteral("Slurm job array written: submit it with\n  sbatch %1\n").arg(QFileInfo(scriptPath).absoluteFilePath());
            return ExitOk;
        }
        QProcess sbatch;
        sbatch.start(QStringLiteral("sbatch"), {QStringLiteral("--parsable"), scriptPath});
        if (!sbatch.waitForFinished(60000) || sbatch.exitStatus() != QProcess::NormalExit || sbatch.exitCode() != 0)
            throw RuntimeError(QStringLiteral("sbatch %1 failed: %2%3")
                                   .arg(scriptPath, sbatch.errorString(), QString::fromUtf8(sbatch.readAllStandardError()).trimmed())
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

} // namespace redifine::cli
