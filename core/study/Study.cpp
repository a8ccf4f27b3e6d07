#include "core/study/Study.h"

#include "core/common/Error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

namespace redifine {

namespace {

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
    QList<QJsonObject> configs;
    QList<QList<SweepAxisChoice>> choices;
    for (const StudyChain &chain : input.chains) {
        QJsonObject config = chain.config;
        config.insert(QStringLiteral("seed"), chain.seed);
        configs << config;
        choices << chain.choices;
    }
    const ConditionGrouping grouping = groupConditions(configs, choices);
    if (grouping.axisLabelsSetAside)
        study.problems << QStringLiteral("sweep.json's axis labels would not name the conditions unambiguously (one label for two settings, or two "
                                         "conditions with one label); conditions are labelled by their settings");
    for (const auto &[repeat, twin] : grouping.repeats)
        study.problems << QStringLiteral("chain %1: same settings and seed %2 as chain %3; not counted")
                              .arg(input.chains[repeat].name).arg(input.chains[repeat].seed).arg(input.chains[twin].name);

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

    for (qsizetype i = 0; i < grouping.groups.size(); ++i) {
        const ConditionGroup &g = grouping.groups[i];
        QList<const StudyChain *> group;
        for (int member : g.members)
            group << &input.chains[member];
        study.readChains += int(group.size());
        StudyCondition c;
        c.id = QStringLiteral("c%1").arg(i + 1);
        c.config = group.first()->config;
        c.label = g.label;
        for (const QString &key : grouping.differing)
            c.settings.insert(key, g.settings.value(key, QJsonValue(QJsonValue::Null)));
        c.iterations = group.first()->iterations;
        const QJsonObject cfg = c.config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("cfg")).toObject();
        c.constantCfg = cfg.value(QStringLiteral("type")).toString() == QLatin1String("constant") && conditionDropOf(c.config) == 0.0;
        c.cfgScale = cfg.value(QStringLiteral("scale")).toDouble();
        c.context = contextKeyOf(g.settings);
        for (const StudyChain *chain : group) {
            c.chains << chain->name;
            c.seeds << chain->seed;
        }
        // A complete iteration of one seed that lacks a metric the condition's other seeds have would shrink that
        // metric's sample below the seed count the condition shows: name each gap.
        for (const StudyChain *chain : group)
            for (auto it = chain->metrics.cbegin(); it != chain->metrics.cend(); ++it) {
                QSet<QString> lacking;
                for (const StudyChain *other : group) {
                    const auto theirs = other->metrics.constFind(it.key());
                    if (theirs != other->metrics.cend())
                        for (auto name = theirs->keyBegin(); name != theirs->keyEnd(); ++name)
                            if (!it->contains(*name))
                                lacking.insert(*name);
                }
                if (lacking.isEmpty())
                    continue;
                QStringList missing(lacking.begin(), lacking.end());
                missing.sort();
                study.problems << QStringLiteral("chain %1: iteration %2 has no %3, which the other seeds of %4 have; those intervals use fewer seeds")
                                      .arg(chain->name).arg(it.key()).arg(missing.join(QStringLiteral(", ")), c.label);
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
