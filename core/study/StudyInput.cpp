#include "core/study/StudyInput.h"

#include "core/chain/ChainConfig.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/io/RunReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace redifine {

namespace {

// Top-level entries of metrics.json that describe the iteration rather than measure its images.
const QStringList kBookkeeping = {QStringLiteral("iteration"), QStringLiteral("images"), QStringLiteral("seconds"),
                                  QStringLiteral("real_mixed_images")};

void take(QMap<QString, double> &out, const QString &name, const QJsonValue &value, const QString &where, QStringList &problems)
{
    const bool finite = value.isDouble() && std::isfinite(value.toDouble());
    // Beyond 1e100 no metric of this product can be, and means and variances of such values would overflow.
    if (finite && std::abs(value.toDouble()) <= 1e100)
        out.insert(name, value.toDouble());
    else if (finite)
        problems << QStringLiteral("%1 is %2, beyond any metric's range (|value| at most 1e100)").arg(where).arg(value.toDouble());
    else
        problems << QStringLiteral("%1 is not a finite number (%2)").arg(where, value.isNull() ? QStringLiteral("null: NaN or infinite when written")
                                                                                                 : QStringLiteral("not a number"));
}

QString compactText(const QList<int> &iterations)
{
    QStringList parts;
    for (int k : iterations)
        parts << QString::number(k);
    return parts.join(QStringLiteral(", "));
}

} // namespace

QMap<QString, double> studyMetricsOf(const QJsonObject &m, QStringList &problems)
{
    QMap<QString, double> out;
    for (auto it = m.begin(); it != m.end(); ++it) {
        const QString &key = it.key();
        if (kBookkeeping.contains(key) || key == QLatin1String("diffnorm_spread_per_step"))
            continue;
        if ((key == QLatin1String("features") || key == QLatin1String("pixel_indicators")) && !it.value().isObject()) {
            problems << QStringLiteral("%1 is not an object of metrics").arg(key);
        } else if (key == QLatin1String("diffnorm_mean_per_step") && !it.value().isArray()) {
            problems << QStringLiteral("%1 is not a list of numbers").arg(key);
        } else if (key == QLatin1String("features")) {
            const QJsonObject features = it.value().toObject();
            for (auto f = features.begin(); f != features.end(); ++f)
                if (f.key() != QLatin1String("extractor") && f.key() != QLatin1String("skipped"))
                    take(out, f.key(), f.value(), QStringLiteral("features.") + f.key(), problems);
        } else if (key == QLatin1String("pixel_indicators")) {
            const QJsonObject pixels = it.value().toObject();
            for (auto p = pixels.begin(); p != pixels.end(); ++p)
                take(out, p.key(), p.value().toObject().value(QStringLiteral("mean")), QStringLiteral("pixel_indicators.%1.mean").arg(p.key()), problems);
        } else if (key == QLatin1String("diffnorm_mean_per_step")) {
            const QJsonArray steps = it.value().toArray();
            if (!steps.isEmpty())
                take(out, QStringLiteral("diffnorm_last"), steps.last(), QStringLiteral("diffnorm_mean_per_step[%1]").arg(steps.size() - 1), problems);
        } else if (!it.value().isObject() && !it.value().isArray()) {
            take(out, key, it.value(), key, problems);
        }
    }
    return out;
}

StudyInput readStudyInput(const QString &sweepDir)
{
    const QString sweepJson = QDir(sweepDir).filePath(QStringLiteral("sweep.json"));
    if (!QFileInfo(sweepDir).isDir())
        throw InputError(QStringLiteral("%1: not a folder").arg(sweepDir).toStdString());
    const QJsonObject sweep = json::readObjectFile(sweepJson);
    const QJsonArray names = sweep.value(QStringLiteral("chains")).toArray();
    if (names.isEmpty())
        throw InputError(QStringLiteral("%1: not a sweep folder (no readable sweep.json listing chains; redifine sweep PLAN.json --out DIR "
                                        "writes one)")
                             .arg(sweepDir)
                             .toStdString());
    StudyInput input;
    input.dir = sweepDir;
    input.name = sweep.value(QStringLiteral("name")).toString(QDir(sweepDir).dirName());
    input.listedChains = int(names.size());
    QStringList malformed;
    const QMap<QString, QList<SweepAxisChoice>> choices = sweepChoicesOf(sweep, &malformed);
    for (const QJsonValue &value : names) {
        const QString name = value.toString();
        // A sweep writes its chains as folders inside it: any other entry is a damaged or foreign list, and a
        // path ("../x", "/abs") would read a run from outside the sweep.
        if (!value.isString() || name.isEmpty() || name.contains(QLatin1Char('/')) || name == QLatin1String(".") || name == QLatin1String("..")) {
            input.problems << QStringLiteral("sweep.json lists %1, which is not a chain folder's name; not counted")
                                  .arg(QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)));
            continue;
        }
        const QString prefix = QStringLiteral("chain %1: ").arg(name);
        const RunSummary run = readRunSummary(QDir(sweepDir).filePath(name), /*hashMetrics=*/true);
        if (!run.isRunFolder()) {
            input.problems << prefix + (QFile::exists(QDir(sweepDir).filePath(name + QStringLiteral("/chain.json")))
                                            ? QStringLiteral("chain.json is unreadable; not counted")
                                            : QStringLiteral("not run yet (no chain.json); not counted"));
            continue;
        }
        for (const QString &problem : run.problems)
            input.problems << prefix + problem;
        StudyChain chain;
        chain.name = name;
        chain.config = run.config;
        // The seed pairs chains across conditions: one that is not what ChainConfig accepts is a damaged config,
        // and reading it as some other number would pair the wrong chains.
        const QJsonValue seed = run.config.value(QStringLiteral("seed"));
        if (!seed.isDouble() || !isValidSeed(seed.toDouble())) {
            input.problems << prefix + QStringLiteral("chain.json's seed is not a non-negative integer; not counted");
            continue;
        }
        chain.seed = qint64(seed.toDouble());
        chain.iterations = run.iterations;
        chain.choices = choices.value(name);
        if (malformed.contains(name))
            input.problems << prefix + QStringLiteral("sweep.json's record of its axis choices is not well formed; its condition is labelled by its settings");
        QList<int> incomplete;
        for (const IterationRecord &record : run.iterationRecords) {
            if (!record.done || record.metrics.isEmpty()) {
                incomplete << record.index;
                continue;
            }
            if (!record.damage.isEmpty()) {   // already listed among the run's problems
                input.problems << prefix + QStringLiteral("iteration %1 is damaged; left out").arg(record.index);
                continue;
            }
            QStringList problems;
            chain.metrics.insert(record.index, studyMetricsOf(record.metrics, problems));
            for (const QString &problem : problems)
                input.problems << prefix + QStringLiteral("iteration %1: %2; left out").arg(record.index).arg(problem);
        }
        if (!incomplete.isEmpty())
            input.problems << prefix + QStringLiteral("iterations %1 of 0..%2 are not complete or have no metrics; not counted").arg(compactText(incomplete)).arg(run.iterations);
        const bool generated = std::any_of(chain.metrics.keyBegin(), chain.metrics.keyEnd(), [](int k) { return k >= 1; });
        if (generated)
            input.chains << chain;
        else
            input.problems << prefix + QStringLiteral("no complete generated iteration; not counted");
    }
    if (input.chains.isEmpty())
        throw InputError(QStringLiteral("%1: no chain of the sweep has a complete iteration 1 yet (%2 listed)").arg(sweepDir).arg(input.listedChains).toStdString());
    return input;
}

} // namespace redifine
