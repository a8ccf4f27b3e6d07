#include "widgets/plots/HistogramView.h"

#include "core/analysis/AnalysisJson.h"
#include "core/common/Json.h"
#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QComboBox>

namespace redifine {

namespace {

// The density over all latent channels of one iteration, at the bin centres; empty when missing or damaged.
Curve latentDensity(const RunSummary &run, int iteration)
{
    Curve curve;
    if (iteration < 0 || iteration >= run.iterationRecords.size() || !run.iterationRecords[iteration].done)
        return curve;
    const QJsonObject all = json::readObjectFile(run.iterationFile(iteration, QStringLiteral("analysis/latent_histogram.json")))
                                .value(QStringLiteral("all")).toObject();
    const std::vector<double> edges = doublesOf(all.value(QStringLiteral("edges")).toArray());
    const std::vector<double> density = doublesOf(all.value(QStringLiteral("density")).toArray());
    if (edges.size() != density.size() + 1)
        return curve;
    for (size_t b = 0; b < density.size(); ++b) {
        curve.x << (edges[b] + edges[b + 1]) / 2.0;
        curve.y << density[b];
    }
    return curve;
}

} // namespace

HistogramView::HistogramView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("histograms"), context, parent)
{
    m_mode = new QComboBox;
    m_mode->setObjectName(QStringLiteral("histogramMode"));
    m_mode->addItem(tr("One chain over iterations"), OneChainOverIterations);
    m_mode->addItem(tr("All chains at the selected iteration"), AllChainsAtIteration);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &HistogramView::replot);
    addControl(m_mode);
}

void HistogramView::setMode(Mode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(mode));
}

HistogramView::Mode HistogramView::mode() const
{
    return Mode(m_mode->currentData().toInt());
}

void HistogramView::replot()
{
    resetPlot(plot(), tr("Latent value"), tr("Density"));
    if (mode() == OneChainOverIterations)
        replotOneChain();
    else
        replotAllChains();
    plot()->rescaleAxes();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void HistogramView::replotOneChain()
{
    if (m_context.runs.isEmpty())
        return;
    const RunSummary &run = m_context.runs.first();
    for (const IterationRecord &record : run.iterationRecords) {
        const Curve curve = latentDensity(run, record.index);
        if (curve.x.isEmpty())
            continue;
        emphasise(addLine(plot(), tr("%1 iteration %2").arg(run.name).arg(record.index), iterationColour(record.index, run.iterations), curve.x, curve.y),
                  record.index == m_context.iteration);
    }
}

void HistogramView::replotAllChains()
{
    const int k = m_context.iteration;
    if (m_context.aggregated()) {
        for (int c = 0; c < m_context.conditions.size(); ++c) {
            QList<Curve> curves;
            for (int r : m_context.conditions[c].runs)
                if (Curve curve = latentDensity(m_context.runs[r], k); !curve.x.isEmpty())
                    curves << curve;
            if (curves.isEmpty())
                continue;
            const MeanBand band = meanBand(curves);
            addLine(plot(), tr("%1 iteration %2").arg(m_context.conditions[c].label).arg(k), chainColour(c), band.x, band.mean);
            if (curves.size() > 1)
                addBand(plot(), chainColour(c), band.x, band.low, band.high);
        }
        return;
    }
    for (int r = 0; r < m_context.runs.size(); ++r) {
        const Curve curve = latentDensity(m_context.runs[r], k);
        if (!curve.x.isEmpty())
            addLine(plot(), tr("%1 iteration %2").arg(m_context.runs[r].name).arg(k), chainColour(r), curve.x, curve.y);
    }
}

} // namespace redifine
