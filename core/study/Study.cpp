#include "core/study/Study.h"

#include "core/common/Error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

namespace redifine {

namespace {

QString valueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// Dotted key -> value of every leaf (arrays are leaves) outside the ignored settings.
void flatten(const QJsonObject &object, const QString &prefix, QMap<QString, QJsonValue> &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (prefix.isEmpty() && studyIgnoredSettings().contains(key))
            continue;
        if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
        else
            out.insert(key, it.value());
    }
}

QMap<QString, QJsonValue> settingsOf(const QJsonObject &config)
{
    QMap<QString, QJsonValue> out;
    flatten(config, QString(), out);
    return out;
}

bool isGuidanceSetting(const QString &key)
{
    return key.startsWith(QLatin1String("sampler.cfg.")) || key == QLatin1String("finetune.condition_drop");
}

QString keyText(const QMap<QString, QJsonValue> &settings, bool (*keep)(const QString &))
{
    QStringList parts;
    for (auto it = settings.begin(); it != settings.end(); ++it)
        if (keep(it.key()))
            parts << it.key() + QLatin1Char('=') + valueText(it.value());
    return parts.join(QLatin1Char('\n'));
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
    return QStringLiteral("CFG %1").arg(type);
}

double conditionDropOf(const QJsonObject &config)
{
    return config.value(QStringLiteral("finetune")).toObject().value(QStringLiteral("condition_drop")).toDouble();
}

// "CFG 7.5, drop 0.2, limit=32": guidance and condition drop in words, any other differing setting as key=value
// (its last part, unless two differing keys share it).
QString labelOf(const QJsonObject &config, const QMap<QString, QJsonValue> &settings, const QStringList &differing)
{
    QStringList parts;
    const bool guidance = differing.isEmpty() || std::any_of(differing.begin(), differing.end(), [](const QString &k) { return k.startsWith(QLatin1String("sampler.cfg.")); });
    if (guidance)
        parts << guidanceText(config);
    if (differing.isEmpty() || differing.contains(QStringLiteral("finetune.condition_drop")))
        parts << QStringLiteral("drop %1").arg(conditionDropOf(config));
    QMap<QString, int> lastParts;
    for (const QString &key : differing)
        ++lastParts[key.section(QLatin1Char('.'), -1)];
    for (const QString &key : differing) {
        if (isGuidanceSetting(key))
            continue;
        const QString last = key.section(QLatin1Char('.'), -1);
        parts << (lastParts.value(last) > 1 ? key : last) + QLatin1Char('=') +
                     (settings.contains(key) ? valueText(settings.value(key)) : QStringLiteral("(unset)"));
    }
    return parts.join(QStringLiteral(", "));
}

std::vector<double> valuesOf(const QMap<qint64, double> &perSeed, const QList<qint64> &seeds)
{
    std::vector<double> values;
    for (qint64 seed : seeds)
        values.push_back(perSeed.value(seed));
    return values;
}

// Paired by seed when both conditions have reusability for the same seeds, else Welch.
DifferenceInterval compare(const MetricReusability &a, const MetricReusability &b, double level)
{
    const QList<qint64> seedsA = a.perSeed.keys();
    const QList<qint64> seedsB = b.perSeed.keys();
    if (seedsA == seedsB)
        return pairedDifference(valuesOf(a.perSeed, seedsA), valuesOf(b.perSeed, seedsA), level);
    return welchDifference(valuesOf(a.perSeed, seedsA), valuesOf(b.perSeed, seedsB), level);
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonObject summaryJson(const SampleSummary &s)
{
    return QJsonObject{{QStringLiteral("n"), s.n},
                       {QStringLiteral("mean"), number(s.mean)},
                       {QStringLiteral("sd"), number(s.sd)},
                       {QStringLiteral("ci_low"), number(s.low)},
                       {QStringLiteral("ci_high"), number(s.high)}};
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 10) : QString();
}

} // namespace

const QStringList &studyIgnoredSettings()
{
    static const QStringList keys = {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("seed"), QStringLiteral("threads"),
                                     QStringLiteral("device")};
    return keys;
}

const StudyCondition *StudyResult::condition(const QString &id) const
{
    for (const StudyCondition &c : conditions)
        if (c.id == id)
            return &c;
    return nullptr;
}

QString differenceMethodName(DifferenceMethod method)
{
    switch (method) {
    case DifferenceMethod::Paired: return QStringLiteral("paired");
    case DifferenceMethod::Welch: return QStringLiteral("welch");
    case DifferenceMethod::None: return QStringLiteral("none");
    }
    return {};
}

StudyResult analyseStudy(const StudyInput &input, const QStringList &extraMetrics)
{
    StudyResult study;
    study.dir = input.dir;
    study.name = input.name;
    study.listedChains = input.listedChains;
    study.problems = input.problems;

    // Conditions: chains with equal settings outside the ignored ones, in the sweep's order.
    QMap<QString, int> conditionOfKey;
    QList<QList<const StudyChain *>> members;
    QList<QMap<QString, QJsonValue>> settings;
    for (const StudyChain &chain : input.chains) {
        const QMap<QString, QJsonValue> s = settingsOf(chain.config);
        const QString key = keyText(s, [](const QString &) { return true; });
        if (!conditionOfKey.contains(key)) {
            conditionOfKey.insert(key, int(members.size()));
            members.append(QList<const StudyChain *>());
            settings.append(s);
        }
        QList<const StudyChain *> &group = members[conditionOfKey.value(key)];
        const auto twin = std::find_if(group.begin(), group.end(), [&](const StudyChain *c) { return c->seed == chain.seed; });
        if (twin != group.end()) {
            study.problems << QStringLiteral("chain %1: same settings and seed %2 as chain %3; not counted").arg(chain.name).arg(chain.seed).arg((*twin)->name);
            continue;
        }
        group.append(&chain);
        ++study.readChains;
    }

    QSet<QString> allKeys;
    for (const auto &s : settings)
        for (auto it = s.begin(); it != s.end(); ++it)
            allKeys.insert(it.key());
    QStringList differing;
    for (const QString &key : allKeys) {
        for (const auto &s : settings)
            if (s.value(key) != settings.first().value(key) || s.contains(key) != settings.first().contains(key)) {
                differing << key;
                break;
            }
    }
    differing.sort();

    QSet<QString> metricNames;
    for (const StudyChain &chain : input.chains)
        for (const auto &iteration : chain.metrics)
            for (auto it = iteration.begin(); it != iteration.end(); ++it)
                metricNames.insert(it.key());
    study.metrics = QStringList(metricNames.begin(), metricNames.end());
    study.metrics.sort();
    if (study.metrics.contains(QStringLiteral("fd")))
        study.reusabilityMetrics << QStringLiteral("fd");
    else
        study.problems << QStringLiteral("no chain has FD (features.fd): the chains ran without the feature_metrics analysis, so there is no FD reusability");
    for (const QString &metric : extraMetrics) {
        if (!metricNames.contains(metric))
            throw InputError(QStringLiteral("metric \"%1\": not in any chain's metrics.json (found: %2)").arg(metric, study.metrics.join(QStringLiteral(", "))).toStdString());
        if (!study.reusabilityMetrics.contains(metric))
            study.reusabilityMetrics << metric;
    }

    for (qsizetype i = 0; i < members.size(); ++i) {
        const QList<const StudyChain *> &group = members[i];
        StudyCondition c;
        c.id = QStringLiteral("c%1").arg(i + 1);
        c.config = group.first()->config;
        c.label = labelOf(c.config, settings[i], differing);
        for (const QString &key : differing)
            c.settings.insert(key, settings[i].value(key, QJsonValue(QJsonValue::Null)));
        c.iterations = group.first()->iterations;
        const QJsonObject cfg = c.config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("cfg")).toObject();
        c.constantCfg = cfg.value(QStringLiteral("type")).toString() == QLatin1String("constant") && conditionDropOf(c.config) == 0.0;
        c.cfgScale = cfg.value(QStringLiteral("scale")).toDouble();
        c.context = keyText(settings[i], [](const QString &key) { return !isGuidanceSetting(key); });
        for (const StudyChain *chain : group) {
            c.chains << chain->name;
            c.seeds << chain->seed;
        }
        for (const QString &metric : study.metrics) {
            for (int k = 0; k <= c.iterations; ++k) {
                std::vector<double> values;
                for (const StudyChain *chain : group)
                    if (chain->metrics.value(k).contains(metric))
                        values.push_back(chain->metrics.value(k).value(metric));
                if (!values.empty())
                    c.perIteration[metric].insert(k, summariseSample(values, study.level));
            }
        }
        for (const QString &metric : study.reusabilityMetrics) {
            MetricReusability r;
            r.k = c.iterations;
            for (const StudyChain *chain : group) {
                const QMap<QString, double> first = chain->metrics.value(1);
                const QMap<QString, double> last = chain->metrics.value(r.k);
                if (first.contains(metric) && last.contains(metric))
                    r.perSeed.insert(chain->seed, last.value(metric) - first.value(metric));
            }
            std::vector<double> values(r.perSeed.begin(), r.perSeed.end());
            r.summary = summariseSample(values, study.level);
            c.reusability.insert(metric, r);
        }
        study.conditions << c;
    }

    // References within each context: constant CFG 7.5, and the constant CFG of lowest mean FD reusability.
    for (const StudyCondition &c : study.conditions) {
        const StudyCondition *baseline = nullptr;
        const StudyCondition *best = nullptr;
        for (const StudyCondition &r : study.conditions) {
            if (!r.constantCfg || r.context != c.context)
                continue;
            if (r.cfgScale == 7.5)
                baseline = &r;
            const double mean = r.reusability.value(QStringLiteral("fd")).summary.mean;
            if (r.reusability.value(QStringLiteral("fd")).summary.n > 0 &&
                (!best || mean < best->reusability.value(QStringLiteral("fd")).summary.mean))
                best = &r;
        }
        const QList<QPair<QString, const StudyCondition *>> references{{QStringLiteral("cfg-7.5"), baseline}, {QStringLiteral("best-constant"), best}};
        for (const auto &[against, reference] : references) {
            if (!reference || reference == &c)
                continue;
            for (const QString &metric : study.reusabilityMetrics) {
                const MetricReusability a = c.reusability.value(metric);
                const MetricReusability b = reference->reusability.value(metric);
                if (a.perSeed.isEmpty() || b.perSeed.isEmpty())
                    continue;
                study.comparisons << StudyComparison{c.id, reference->id, against, metric, compare(a, b, study.level)};
            }
        }
    }
    return study;
}

QJsonObject studyJson(const StudyResult &study)
{
    QJsonArray conditions;
    for (const StudyCondition &c : study.conditions) {
        QJsonObject perIteration;
        for (auto it = c.perIteration.begin(); it != c.perIteration.end(); ++it) {
            QJsonArray rows;
            for (auto k = it.value().begin(); k != it.value().end(); ++k) {
                QJsonObject row = summaryJson(k.value());
                row.insert(QStringLiteral("iteration"), k.key());
                rows.append(row);
            }
            perIteration.insert(it.key(), rows);
        }
        QJsonObject reusability;
        for (auto it = c.reusability.begin(); it != c.reusability.end(); ++it) {
            QJsonObject r = summaryJson(it.value().summary);
            r.insert(QStringLiteral("k"), it.value().k);
            QJsonObject perSeed;
            for (auto s = it.value().perSeed.begin(); s != it.value().perSeed.end(); ++s)
                perSeed.insert(QString::number(s.key()), s.value());
            r.insert(QStringLiteral("per_seed"), perSeed);
            reusability.insert(it.key(), r);
        }
        QJsonArray seeds;
        for (qint64 seed : c.seeds)
            seeds.append(seed);
        conditions.append(QJsonObject{{QStringLiteral("id"), c.id},
                                      {QStringLiteral("label"), c.label},
                                      {QStringLiteral("settings"), c.settings},
                                      {QStringLiteral("constant_cfg"), c.constantCfg},
                                      {QStringLiteral("iterations"), c.iterations},
                                      {QStringLiteral("chains"), QJsonArray::fromStringList(c.chains)},
                                      {QStringLiteral("seeds"), seeds},
                                      {QStringLiteral("per_iteration"), perIteration},
                                      {QStringLiteral("reusability"), reusability}});
    }
    QJsonArray comparisons;
    for (const StudyComparison &x : study.comparisons) {
        const DifferenceInterval &d = x.difference;
        comparisons.append(QJsonObject{{QStringLiteral("condition"), x.condition},
                                       {QStringLiteral("condition_label"), study.condition(x.condition)->label},
                                       {QStringLiteral("reference"), x.reference},
                                       {QStringLiteral("reference_label"), study.condition(x.reference)->label},
                                       {QStringLiteral("against"), x.against},
                                       {QStringLiteral("metric"), x.metric},
                                       {QStringLiteral("method"), differenceMethodName(d.method)},
                                       {QStringLiteral("n_condition"), d.nA},
                                       {QStringLiteral("n_reference"), d.nB},
                                       {QStringLiteral("difference"), number(d.difference)},
                                       {QStringLiteral("ci_low"), number(d.low)},
                                       {QStringLiteral("ci_high"), number(d.high)},
                                       {QStringLiteral("df"), number(d.df)}});
    }
    return QJsonObject{{QStringLiteral("sweep"), QJsonObject{{QStringLiteral("dir"), study.dir},
                                                             {QStringLiteral("name"), study.name},
                                                             {QStringLiteral("chains_listed"), study.listedChains},
                                                             {QStringLiteral("chains_counted"), study.readChains}}},
                       {QStringLiteral("level"), study.level},
                       {QStringLiteral("metrics"), QJsonArray::fromStringList(study.metrics)},
                       {QStringLiteral("reusability_metrics"), QJsonArray::fromStringList(study.reusabilityMetrics)},
                       {QStringLiteral("conditions"), conditions},
                       {QStringLiteral("comparisons"), comparisons},
                       {QStringLiteral("problems"), QJsonArray::fromStringList(study.problems)}};
}

QByteArray studyCsv(const StudyResult &study)
{
    QStringList lines{QStringLiteral("section,condition,label,reference,reference_label,against,metric,iteration,n,mean,sd,ci_low,ci_high,method,df")};
    const auto row = [&](const QStringList &fields) {
        QStringList escaped;
        for (const QString &f : fields)
            escaped << csvField(f);
        lines << escaped.join(QLatin1Char(','));
    };
    for (const StudyCondition &c : study.conditions) {
        for (auto it = c.perIteration.begin(); it != c.perIteration.end(); ++it)
            for (auto k = it.value().begin(); k != it.value().end(); ++k) {
                const SampleSummary &s = k.value();
                row({QStringLiteral("iteration"), c.id, c.label, {}, {}, {}, it.key(), QString::number(k.key()), QString::number(s.n), csvNumber(s.mean),
                     csvNumber(s.sd), csvNumber(s.low), csvNumber(s.high), {}, {}});
            }
        for (auto it = c.reusability.begin(); it != c.reusability.end(); ++it) {
            const SampleSummary &s = it.value().summary;
            row({QStringLiteral("reusability"), c.id, c.label, {}, {}, {}, it.key(), QString::number(it.value().k), QString::number(s.n),
                 csvNumber(s.mean), csvNumber(s.sd), csvNumber(s.low), csvNumber(s.high), {}, {}});
        }
    }
    for (const StudyComparison &x : study.comparisons) {
        const DifferenceInterval &d = x.difference;
        row({QStringLiteral("comparison"), x.condition, study.condition(x.condition)->label, x.reference, study.condition(x.reference)->label, x.against,
             x.metric, QString::number(study.condition(x.condition)->iterations), QString::number(std::min(d.nA, d.nB)), csvNumber(d.difference), {},
             csvNumber(d.low), csvNumber(d.high), differenceMethodName(d.method), csvNumber(d.df)});
    }
    return (lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();
}

} // namespace redifine
