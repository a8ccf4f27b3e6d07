#include "widgets/plots/ReusabilityView.h"

#include "core/study/Statistics.h"
#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <cmath>

namespace redifine {

ReusabilityView::ReusabilityView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("reusability"), context, parent)
{
}

bool runReusability(const RunSummary &run, const QString &metric, double &first, double &reusability, int &k)
{
    k = -1;
    for (const IterationRecord &record : run.iterationRecords)
        if (record.done && std::isfinite(metricValue(record.metrics, metric)))
            k = record.index;
    if (k < 2 || run.iterationRecords.size() < 2 || !run.iterationRecords[1].done)
        return false;
    first = metricValue(run.iterationRecords[1].metrics, metric);
    reusability = metricValue(run.iterationRecords[k].metrics, metric) - first;
    return std::isfinite(first);
}

void ReusabilityView::replot()
{
    QCustomPlot *p = plot();
    const QString metric = m_context.metricLabel;
    resetPlot(p, tr("%1 at iteration 1 (first-iteration fidelity)").arg(metric), tr("%1: iteration K minus iteration 1 (reusability)").arg(metric));
    const auto point = [p](const QString &name, const QColor &colour, double x, double y) {
        QCPGraph *graph = addLine(p, name, colour, {x}, {y});
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 10));
        return graph;
    };
    if (m_context.aggregated()) {
        for (int c = 0; c < m_context.conditions.size(); ++c) {
            std::vector<double> firsts, reusabilities;
            QList<int> ks;
            for (int r : m_context.conditions[c].runs) {
                double first = 0.0, reusability = 0.0;
                int k = 0;
                if (runReusability(m_context.runs[r], m_context.metric, first, reusability, k)) {
                    firsts.push_back(first);
                    reusabilities.push_back(reusability);
                    if (!ks.contains(k))
                        ks << k;
                }
            }
            if (firsts.empty())
                continue;
            const SampleSummary x = summariseSample(firsts), y = summariseSample(reusabilities);
            QStringList kText;
            for (int k : ks)
                kText << QString::number(k);
            QCPGraph *graph = point(tr("%1 (K = %2, n = %3)").arg(m_context.conditions[c].label, kText.join(QLatin1Char('/'))).arg(x.n),
                                    chainColour(c), x.mean, y.mean);
            if (x.n < 2)
                continue;
            // 95% t intervals of the mean over seeds, drawn as error bars in both directions.
            for (const auto &[type, s] : {std::pair{QCPErrorBars::etKeyError, x}, std::pair{QCPErrorBars::etValueError, y}}) {
                auto *bars = new QCPErrorBars(p->xAxis, p->yAxis);
                bars->removeFromLegend();
                bars->setErrorType(type);
                bars->setDataPlottable(graph);
                bars->setData(QVector<double>{s.mean - s.low}, QVector<double>{s.high - s.mean});
                bars->setPen(QPen(chainColour(c), 1.5));
            }
        }
    } else {
        for (int r = 0; r < m_context.runs.size(); ++r) {
            double first = 0.0, reusability = 0.0;
            int k = 0;
            if (runReusability(m_context.runs[r], m_context.metric, first, reusability, k))
                point(QStringLiteral("%1 (K = %2)").arg(m_context.runs[r].name).arg(k), chainColour(r), first, reusability);
        }
    }
    p->rescaleAxes();
    p->xAxis->scaleRange(1.3);
    p->yAxis->scaleRange(1.3);
    p->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace redifine
