#include "widgets/plots/PlotView.h"

#include "widgets/ChainColours.h"
#include "widgets/PlotStyle.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QVBoxLayout>

#include <algorithm>

namespace redifine {

PlotView::PlotView(const QString &name, const PlotContext &context, QWidget *parent) : QWidget(parent), m_context(context), m_name(name)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_controls = new QHBoxLayout;
    m_controls->addStretch();
    layout->addLayout(m_controls);
    auto *plot = new QCustomPlot;
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    showValuesOnHover(plot);
    usePlot(plot);
}

void PlotView::addControl(QWidget *control)
{
    m_controls->insertWidget(m_controls->count() - 1, control);
}

void PlotView::usePlot(QCustomPlot *plot)
{
    if (m_plot) {
        layout()->removeWidget(m_plot);
        delete m_plot;
    }
    m_plot = plot;
    plot->setObjectName(m_name + QStringLiteral("Plot"));
    plot->setMinimumSize(200, 140);
    stylePlot(plot, palette());
    plot->addLayer(QStringLiteral("selected"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    // The legend shows only when some curve is in it (an empty frame in the corner of a plot with no runs looks
    // like a missing label), decided at each replot, after the view has added its curves. Map grids drop theirs.
    connect(plot, &QCustomPlot::beforeReplot, plot, [plot] {
        if (plot->legend)
            plot->legend->setVisible(plot->legend->itemCount() > 0);
    });
    layout()->addWidget(plot);
}

QColor PlotView::curveColour(int run, int iteration) const
{
    const int iterations = m_context.runs[run].iterations;
    if (m_context.runs.size() == 1)
        return iterationColour(iteration, iterations);
    QColor colour = chainColour(run);
    colour.setAlphaF(0.35 + 0.65 * double(iteration) / std::max(1, iterations));
    return colour;
}

void PlotView::plotConditionMeans(const std::function<Curve(const RunSummary &, int)> &curveOf, double floor)
{
    const int iterations = m_context.iterations();
    for (int c = 0; c < m_context.conditions.size(); ++c) {
        const RunCondition &condition = m_context.conditions[c];
        for (int k = 0; k <= iterations; ++k) {
            QList<Curve> curves;
            for (int r : condition.runs)
                if (Curve curve = curveOf(m_context.runs[r], k); !curve.x.isEmpty())
                    curves << curve;
            if (curves.isEmpty())
                continue;
            MeanBand band = meanBand(curves);
            for (double &low : band.low)
                low = std::max(low, floor);
            QColor colour = chainColour(c);
            colour.setAlphaF(0.35 + 0.65 * double(k) / std::max(1, iterations));
            emphasise(addLine(m_plot, tr("%1 iteration %2").arg(condition.label).arg(k), colour, band.x, band.mean), k == m_context.iteration);
            if (curves.size() > 1 && k == m_context.iteration)
                addBand(m_plot, chainColour(c), band.x, band.low, band.high);
        }
    }
}

} // namespace redifine
