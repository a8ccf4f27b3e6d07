#include "widgets/ConditionTables.h"

#include "core/study/Statistics.h"
#include "widgets/plots/MetricsView.h"
#include "widgets/plots/PlotContext.h"
#include "widgets/plots/PlotHelpers.h"
#include "widgets/plots/ReusabilityView.h"

#include <cmath>

namespace redifine {

namespace {

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 6) : QString();
}

QString meanAndSpread(const SampleSummary &s)
{
    if (s.n == 0)
        return {};
    if (s.n < 2)
        return number(s.mean);
    return QStringLiteral("%1 ± %2").arg(number(s.mean), number(s.sd));
}

// The values of a metric at iteration k over a condition's runs that have it.
std::vector<double> valuesAt(const QList<RunSummary> &runs, const RunCondition &condition, int k, const QString &metric)
{
    std::vector<double> values;
    for (int r : condition.runs) {
        const RunSummary &run = runs[r];
        if (k < run.iterationRecords.size() && run.iterationRecords[k].done)
            if (const double v = metricValue(run.iterationRecords[k].metrics, metric); std::isfinite(v))
                values.push_back(v);
    }
    return values;
}

int lastIteration(const QList<RunSummary> &runs, const RunCondition &condition)
{
    int k = 0;
    for (int r : condition.runs)
        k = std::max(k, runs[r].iterations);
    return k;
}

QString seedsText(const QList<RunSummary> &runs, const RunCondition &condition)
{
    QStringList seeds;
    for (int r : condition.runs)
        seeds << QString::number(runs[r].config.value(QStringLiteral("seed")).toInteger());
    return seeds.join(QLatin1Char(' '));
}

} // namespace

MetricsTable conditionStatisticsTable(const QList<RunSummary> &runs)
{
    MetricsTable table;
    table.header = QStringList{QStringLiteral("condition"), QStringLiteral("seeds"), QStringLiteral("iteration"), QStringLiteral("metric"),
                               QStringLiteral("n"), QStringLiteral("mean"), QStringLiteral("sd"), QStringLiteral("ci_low"), QStringLiteral("ci_high")};
    for (const RunCondition &condition : runConditions(runs))
        for (int k = 0; k <= lastIteration(runs, condition); ++k)
            for (const auto &[metric, label] : MetricsView::metricChoices()) {
                const std::vector<double> values = valuesAt(runs, condition, k, metric);
                if (values.empty())
                    continue;
                const SampleSummary s = summariseSample(values);
                table.rows << QStringList{condition.label, seedsText(runs, condition), QString::number(k), metric, QString::number(s.n),
                                          number(s.mean), number(s.sd), number(s.low), number(s.high)};
            }
    return table;
}

MetricsTable conditionSummaryTable(const QList<RunSummary> &runs)
{
    const QList<QPair<QString, QString>> columns{{QStringLiteral("features.fd"), QStringLiteral("FD")},
                                                 {QStringLiteral("features.clip_score"), QStringLiteral("CLIP score")},
                                                 {QStringLiteral("pixel_indicators.saturation.mean"), QStringLiteral("saturation")},
                                                 {QStringLiteral("pixel_indicators.sharpness.mean"), QStringLiteral("sharpness")},
                                                 {QStringLiteral("latent_std"), QStringLiteral("latent sd")}};
    MetricsTable table;
    table.header = QStringList{QStringLiteral("condition"), QStringLiteral("n"), QStringLiteral("iteration")};
    for (const auto &column : columns)
        table.header << column.second + QStringLiteral(" (mean ± sd)");
    for (const RunCondition &condition : runConditions(runs))
        for (int k = 0; k <= lastIteration(runs, condition); ++k) {
            QStringList row{condition.label, QString(), QString::number(k)};
            int n = 0;
            for (const auto &column : columns) {
                const std::vector<double> values = valuesAt(runs, condition, k, column.first);
                n = std::max(n, int(values.size()));
                row << meanAndSpread(summariseSample(values));
            }
            if (n == 0)
                continue;
            row[1] = QString::number(n);
            table.rows << row;
        }
    return table;
}

MetricsTable conditionReusabilityTable(const QList<RunSummary> &runs)
{
    MetricsTable table;
    table.header = QStringList{QStringLiteral("condition"), QStringLiteral("n"), QStringLiteral("K"), QStringLiteral("FD_1 (mean ± sd)"),
                               QStringLiteral("FD_K - FD_1 mean"), QStringLiteral("sd"), QStringLiteral("ci_low"), QStringLiteral("ci_high")};
    for (const RunCondition &condition : runConditions(runs)) {
        std::vector<double> firsts, reusabilities;
        QStringList ks;
        for (int r : condition.runs) {
            double first = 0.0, reusability = 0.0;
            int k = 0;
            if (!runReusability(runs[r], QStringLiteral("features.fd"), first, reusability, k))
                continue;
            firsts.push_back(first);
            reusabilities.push_back(reusability);
            if (!ks.contains(QString::number(k)))
                ks << QString::number(k);
        }
        if (firsts.empty())
            continue;
        const SampleSummary s = summariseSample(reusabilities);
        table.rows << QStringList{condition.label, QString::number(s.n), ks.join(QLatin1Char('/')), meanAndSpread(summariseSample(firsts)),
                                  number(s.mean), number(s.sd), number(s.low), number(s.high)};
    }
    return table;
}

} // namespace redifine
