#include "app/cli/Commands.h"

#include "app/cli/Cli.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/io/RunStore.h"
#include "core/study/Study.h"
#include "core/study/StudyFigures.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <cmath>

namespace redifine::cli {

namespace {

QString numberText(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 3) : QStringLiteral("-");
}

QString intervalText(double mean, double low, double high)
{
    if (!std::isfinite(low))
        return numberText(mean);
    return QStringLiteral("%1 [%2, %3]").arg(numberText(mean), numberText(low), numberText(high));
}

void printSummary(const StudyResult &study, QTextStream &out)
{
    out << QStringLiteral("study of sweep %1: %2 of %3 chains in %4 conditions; mean [95% CI] over seeds\n")
               .arg(study.name)
               .arg(study.readChains)
               .arg(study.listedChains)
               .arg(study.conditions.size());
    for (const QString &metric : study.reusabilityMetrics) {
        out << QStringLiteral("\n%1  %2  %3  %4\n")
                   .arg(QStringLiteral("condition"), -40)
                   .arg(QStringLiteral("seeds"), 5)
                   .arg(QStringLiteral("%1_1").arg(metric), -26)
                   .arg(QStringLiteral("%1_K - %1_1").arg(metric));
        for (const StudyCondition &c : study.conditions) {
            const SampleSummary first = c.perIteration.value(metric).value(1);
            const SampleSummary reuse = c.reusability.value(metric).summary;
            out << QStringLiteral("%1  %2  %3  %4 (K = %5)\n")
                       .arg(c.id + QLatin1Char(' ') + c.label, -40)
                       .arg(c.seeds.size(), 5)
                       .arg(intervalText(first.mean, first.low, first.high), -26)
                       .arg(intervalText(reuse.mean, reuse.low, reuse.high))
                       .arg(c.iterations);
        }
    }
    if (!study.comparisons.isEmpty())
        out << "\nreusability differences, condition - reference (below 0: the condition is more reusable):\n";
    for (const StudyComparison &x : study.comparisons) {
        const DifferenceInterval &d = x.difference;
        out << QStringLiteral("%1 vs %2 (%3), %4: %5, %6%7\n")
                   .arg(study.condition(x.condition)->label, study.condition(x.reference)->label, x.against, x.metric,
                        intervalText(d.difference, d.low, d.high), differenceMethodName(d.method),
                        std::isfinite(d.df) ? QStringLiteral(", df %1").arg(d.df, 0, 'f', 2) : QString());
    }
}

} // namespace

int commandStudy(Arguments &args, QTextStream &out)
{
    const std::optional<QString> sweepDir = args.takePositional();
    if (!sweepDir)
        throw InputError("redifine study: give the sweep folder: redifine study SWEEP_DIR [--out DIR] [--metric NAME ...] [--json]");
    const QString outDir = args.takeValue(QStringLiteral("--out")).value_or(QDir(*sweepDir).filePath(QStringLiteral("study")));
    QStringList metrics;
    for (const QString &value : args.takeValues(QStringLiteral("--metric")))
        metrics << value.split(QLatin1Char(','), Qt::SkipEmptyParts);
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    if (QFileInfo(outDir).exists() && !QFileInfo(outDir).isDir())
        throw InputError(QStringLiteral("study --out: %1: a file, not a folder").arg(outDir).toStdString());

    StudyResult study;
    try {
        study = analyseStudy(readStudyInput(*sweepDir), metrics);
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        throw InputError((message.startsWith(QLatin1String("metric ")) ? QStringLiteral("study --") + message : message).toStdString());
    }
    QTextStream err(stderr);
    for (const QString &problem : study.problems)
        err << "warning: " << problem << '\n';
    err.flush();

    if (const QString why = makeFolder(outDir); !why.isEmpty())
        throw InputError(QStringLiteral("study --out: %1: cannot create the output folder (%2)").arg(outDir, why).toStdString());
    const RunStore store(outDir);
    const QJsonObject json = studyJson(study);
    const QString jsonPath = QDir(outDir).filePath(QStringLiteral("study.json"));
    store.writeJson(jsonPath, json);
    store.writeText(QDir(outDir).filePath(QStringLiteral("study.csv")), studyCsv(study));
    const QStringList figures = writeStudyFigures(study, outDir);

    if (asJson) {
        out << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
        return ExitOk;
    }
    printSummary(study, out);
    out << QStringLiteral("\nwrote %1, study.csv and %2 figures (PNG and PDF) in %3\n").arg(QStringLiteral("study.json")).arg(figures.size() / 2).arg(QFileInfo(outDir).absoluteFilePath());
    return ExitOk;
}

} // namespace redifine::cli
