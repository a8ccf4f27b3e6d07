#include "widgets/plots/DiffNormView.h"

#include "core/analysis/AnalysisJson.h"
#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

namespace redifine {

DiffNormView::DiffNormView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("diffnorm"), context, parent)
{
}

namespace {

Curve diffNormCurve(const IterationRecord &record)
{
    Curve curve;
    if (!record.done)
        return curve;
    const std::vector<double> mean = doublesOf(record.metrics.value(QStringLiteral("diffnorm_mean_per_step")).toArray());
    for (size_t s = 0; s < mean.size(); ++s) {
        curve.x << double(s);
        curve.y << mean[s];
    }
    return curve;
}

} // namespace

void DiffNormView::replot()
{
    QCustomPlot *p = plot();
    if (m_context.aggregated()) {
        resetPlot(p, tr("Denoising step"), tr("|eps_c - eps_u| (mean over seeds, band: 95% interval)"));
        plotConditionMeans([](const RunSummary &run, int k) {
            return k < run.iterationRecords.size() ? diffNormCurve(run.iterationRecords[k]) : Curve();
        });
        p->rescaleAxes();
        p->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    resetPlot(p, tr("Denoising step"), tr("|eps_c - eps_u| (mean over images, band: +-1 sd)"));
    for (int r = 0; r < m_context.runs.size(); ++r) {
        const RunSummary &run = m_context.runs[r];
        for (const IterationRecord &record : run.iterationRecords) {
            const Curve curve = diffNormCurve(record);
            if (curve.x.isEmpty())
                continue;
            const std::vector<double> spread = doublesOf(record.metrics.value(QStringLiteral("diffnorm_spread_per_step")).toArray());
            const QColor colour = curveColour(r, record.index);
            emphasise(addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), colour, curve.x, curve.y), record.index == m_context.iteration);
            if (spread.size() == size_t(curve.y.size())) {
                QVector<double> low, high;
                for (qsizetype s = 0; s < curve.y.size(); ++s) {
                    low << curve.y[s] - spread[size_t(s)];
                    high << curve.y[s] + spread[size_t(s)];
                }
                addBand(p, colour, curve.x, low, high);
            }
        }
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace redifine
