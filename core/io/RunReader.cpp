#include "core/io/RunReader.h"

#include "core/chain/ChainConfig.h"

#include "core/common/InputFile.h"
#include "core/common/Json.h"
#include "core/io/RunStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>

namespace redifine {

int RunSummary::completedIterations() const
{
    int done = 0;
    for (const IterationRecord &r : iterationRecords)
        done += r.done ? 1 : 0;
    return done;
}

QString guidanceText(const QJsonObject &config)
{
    const QJsonObject cfg = config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("cfg")).toObject();
    const QString type = cfg.value(QStringLiteral("type")).toString();
    const auto number = [&](const char *key) { return QString::number(cfg.value(QLatin1String(key)).toDouble()); };
    if (type == QLatin1String("constant"))
        return QStringLiteral("CFG %1").arg(number("scale"));
    if (type == QLatin1String("exponential"))
        return QStringLiteral("CFG %1 exp(-%2t/T)").arg(number("s0"), number("alpha"));
    if (type == QLatin1String("linear") || type == QLatin1String("cosine"))
        return QStringLiteral("CFG %1 %2-%3").arg(type, number("start"), number("end"));
    if (type == QLatin1String("piecewise")) {   // "CFG piecewise 7.5@0 1@1": scale@progress per point
        QStringList points;
        for (const QJsonValue &point : cfg.value(QStringLiteral("points")).toArray())
            points << QStringLiteral("%1@%2").arg(point.toArray().at(1).toDouble()).arg(point.toArray().at(0).toDouble());
        return QStringLiteral("CFG piecewise %1").arg(points.join(QLatin1Char(' ')));
    }
    return QStringLiteral("CFG %1").arg(type);
}

QString RunSummary::settingsText() const
{
    const double drop = config.value(QStringLiteral("finetune")).toObject().value(QStringLiteral("condition_drop")).toDouble();
    return QStringLiteral("%1, p = %2").arg(guidanceText(config)).arg(drop);
}

QString RunSummary::imagePath(int iteration, int promptRow, int sample) const
{
    const int index = iteration == 0 ? promptRow : promptRow * imagesPerPrompt + sample;
    return RunStore(dir).imagePath(iteration, index);
}

QString RunSummary::iterationFile(int iteration, const QString &name) const
{
    return RunStore(dir).file(iteration, name);
}

namespace {

// This version's default settings under the ones a chain.json wrote: a run from before a setting existed (no
// "cpu_matmuls") reads as holding the default, as a resume reads it, so a study and the studio do not split one
// condition in two. Sections ("finetune", "sampler") are merged key by key; their values, objects such as
// sampler.cfg included, are taken whole. Unknown keys stay, so they still tell runs apart.
QJsonObject withDefaultSettings(const QJsonObject &written)
{
    static const QJsonObject defaults = ChainConfig().toJson();   // read for every run on each studio refresh
    QJsonObject config = defaults;
    for (auto it = written.begin(); it != written.end(); ++it) {
        if (it.value().isObject() && config.value(it.key()).isObject()) {
            QJsonObject section = config.value(it.key()).toObject();
            const QJsonObject own = it.value().toObject();
            for (auto field = own.begin(); field != own.end(); ++field)
                section.insert(field.key(), field.value());
            config.insert(it.key(), section);
        } else {
            config.insert(it.key(), it.value());
        }
    }
    return config;
}

} // namespace

RunSummary readRunSummary(const QString &dir, bool hashMetrics)
{
    RunSummary s;
    s.dir = dir;
    s.name = QDir(dir).dirName();
    const RunStore store(dir);
    const QJsonObject chain = json::readObjectFile(store.chainJsonPath());
    s.config = chain.value(QStringLiteral("config")).toObject();
    if (s.config.isEmpty()) {
        s.problems << (QFile::exists(store.chainJsonPath()) ? QStringLiteral("chain.json is unreadable") : QStringLiteral("no chain.json"));
        return s;
    }
    s.name = s.config.value(QStringLiteral("name")).toString(s.name);
    s.description = s.config.value(QStringLiteral("description")).toString();
    s.config = withDefaultSettings(s.config);
    s.iterations = std::max(0, s.config.value(QStringLiteral("iterations")).toInt());
    if (s.iterations > kMaxIterations) {
        // Not a config this product writes (edited or damaged): show the iterations on disk, never loop to 2^31.
        s.problems << QStringLiteral("chain.json claims %1 iterations, more than the %2 a chain may have").arg(s.iterations).arg(kMaxIterations);
        s.iterations = 0;
        const QStringList folders = QDir(dir).entryList({QStringLiteral("iter_*")}, QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &name : folders) {
            bool ok = false;
            const int k = name.mid(5).toInt(&ok);
            if (ok && k <= kMaxIterations)
                s.iterations = std::max(s.iterations, k);
        }
    }
    s.imagesPerPrompt = std::max(1, s.config.value(QStringLiteral("images_per_prompt")).toInt(1));
    const QJsonArray skipped = chain.value(QStringLiteral("dataset_skipped")).toArray();
    if (!skipped.isEmpty())
        s.problems << QStringLiteral("D_0 skipped %1 file(s) of the dataset, first: %2").arg(skipped.size()).arg(skipped.first().toString());
    for (const QJsonValue &v : json::readObjectFile(store.file(0, QStringLiteral("prompts.json"))).value(QStringLiteral("prompts")).toArray())
        s.prompts << v.toString();
    for (int k = 0; k <= s.iterations; ++k) {
        IterationRecord r;
        r.index = k;
        r.done = store.isDone(k);
        r.imageCount = int(QDir(store.imagesDir(k)).entryList({QStringLiteral("*.png")}, QDir::Files).size());
        if (r.done) {
            r.damage = store.damage(k, false, hashMetrics ? QStringList{QStringLiteral("metrics.json")} : QStringList{});
            if (!r.damage.isEmpty())
                s.problems << QStringLiteral("iteration %1 is damaged: %2").arg(k).arg(r.damage);
            r.metrics = json::readObjectFile(store.file(k, QStringLiteral("metrics.json")));
            if (r.metrics.isEmpty())
                s.problems << QStringLiteral("iteration %1 is marked done but its metrics.json is missing or unreadable").arg(k);
            const int expected = k == 0 ? int(s.prompts.size()) : int(s.prompts.size()) * s.imagesPerPrompt;
            if (r.imageCount < expected)
                s.problems << QStringLiteral("iteration %1 has %2 of its %3 images").arg(k).arg(r.imageCount).arg(expected);
        }
        s.iterationRecords << r;
    }
    if (s.prompts.isEmpty() && s.iterationRecords.value(0).done)
        s.problems << QStringLiteral("iter_0/prompts.json is missing or unreadable");
    return s;
}

QStringList listRunFolders(const QString &root)
{
    QStringList runs;
    const QDir dir(root);
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFile::exists(dir.filePath(name + QStringLiteral("/chain.json"))))
            runs << dir.filePath(name);
    return runs;
}

QString runStamp(const QString &dir)
{
    const auto stamp = [](const QString &path) {
        const QFileInfo info(path);
        return info.exists() ? QStringLiteral("%1:%2").arg(info.lastModified().toMSecsSinceEpoch()).arg(info.size()) : QStringLiteral("-");
    };
    const QDir run(dir);
    QStringList parts{stamp(dir), stamp(run.filePath(QStringLiteral("chain.json")))};
    const QStringList iterations = run.entryList({QStringLiteral("iter_*")}, QDir::Dirs | QDir::NoDotAndDotDot);
    int newest = -1;
    for (const QString &name : iterations) {
        parts << name + QLatin1Char('=') + stamp(run.filePath(name));
        newest = std::max(newest, name.mid(5).toInt());
    }
    if (newest >= 0)
        parts << stamp(run.filePath(QStringLiteral("iter_%1/images").arg(newest)));
    return parts.join(QLatin1Char(' '));
}

QString imageParameters(const QString &path)
{
    return isRegularFile(path) ? QImageReader(path).text(QStringLiteral("parameters")) : QString();
}

} // namespace redifine
