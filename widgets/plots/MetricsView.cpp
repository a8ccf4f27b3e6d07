#include "widgets/plots/MetricsView.h"

#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QComboBox>

#include <cmath>

namespace redifine {

MetricsView::MetricsView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("metrics"), context, parent)
{
    m_choice = new QComboBox;
    for (const auto &[key, label] : metricChoices())
        m_choice->addItem(label, key);
    connect(m_choice, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT metricChosen(m_choice->currentData().toString()); });
    addControl(m_choice);
}

QList<QPair<QString, QString>> MetricsView::metricChoices()
{
    return {{QStringLiteral("features.fd"), tr("Frechet distance to D_0")},
            {QStringLiteral("features.fd_infinity"), tr("FD-infinity (small-sample bias removed)")},
            {QStringLiteral("features.clip_score"), tr("CLIP score")},
            {QStringLiteral("features.sfd"), tr("SFD (paired by prompt)")},
            {QStringLiteral("features.kid"), tr("KID")},
            {QStringLiteral("features.precision"), tr("Precision")},
            {QStringLiteral("features.recall"), tr("Recall")},
            {QStringLiteral("features.density"), tr("Density")},
            {QStringLiteral("features.coverage"), tr("Coverage")},
            {QStringLiteral("features.vendi"), tr("Vendi score")},
            {QStringLiteral("pixel_indicators.colourfulness.mean"), tr("Colourfulness")},
            {QStringLiteral("pixel_indicators.saturation.mean"), tr("Saturation")},
            {QStringLiteral("pixel_indicators.clipped_share.mean"), tr("Clipped pixels")},
            {QStringLiteral("pixel_indicators.sharpness.mean"), tr("Sharpness (Laplacian variance)")},
            {QStringLiteral("pixel_indicators.high_frequency_ratio.mean"), tr("High-frequency energy")},
            {QStringLiteral("latent_std"), tr("Latent standard deviation")},
            {QStringLiteral("finetune_final_loss"), tr("Final finetune loss")}};
}

void MetricsView::showMetric(const QString &key)
{
    const int index = m_choice->findData(key);
    if (index >= 0 && index != m_choice->currentIndex()) {
        const QSignalBlocker block(m_choice);
        m_choice->setCurrentIndex(index);
    }
}

QString MetricsView::metricLabel() const
{
    return m_choice->currentText();
}

namespace {

Curve metricCurve(const RunSummary &run, const QString &metric)
{
    Curve curve;
    for (const IterationRecord &record : run.iterationRecords) {
        const double v = metricValue(record.metrics, metric);
        if (record.done && std::isfinite(v)) {
            curve.x << record.index;
            curve.y << v;
        }
    }
    return curve;
}

} // namespace

void MetricsView::replot()
{
    QCustomPlot *p = plot();
    resetPlot(p, tr("Iteration"), metricLabel());
    const auto dots = [](QCPGraph *graph, const QColor &colour) {
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
    };
    if (m_context.aggregated()) {
        for (int c = 0; c < m_context.conditions.size(); ++c) {
            QList<Curve> curves;
            for (int r : m_context.conditions[c].runs)
                curves << metricCurve(m_context.runs[r], m_context.metric);
            const MeanBand band = meanBand(curves);
            dots(addLine(p, m_context.conditions[c].label, chainColour(c), band.x, band.mean), chainColour(c));
            if (m_context.conditions[c].runs.size() > 1)
                addBand(p, chainColour(c), band.x, band.low, band.high);
        }
    } else {
        for (int r = 0; r < m_context.runs.size(); ++r) {
            const Curve curve = metricCurve(m_context.runs[r], m_context.metric);
            dots(addLine(p, m_context.runs[r].name, chainColour(r), curve.x, curve.y), chainColour(r));
        }
    }
    p->rescaleAxes();
    p->xAxis->setRange(-0.3, std::max(1.0, p->xAxis->range().upper + 0.3));
    p->yAxis->scaleRange(1.15);
    // The iteration selected in the grid (or another plot), as a vertical line.
    auto *marker = new QCPItemStraightLine(p);
    marker->setObjectName(QStringLiteral("selectedIteration"));
    marker->setPen(QPen(p->palette().color(QPalette::WindowText), 1, Qt::DashLine));
    marker->point1->setCoords(m_context.iteration, 0.0);
    marker->point2->setCoords(m_context.iteration, 1.0);
    // Iterations are whole numbers.
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    p->xAxis->setTicker(ticker);
    p->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace redifine
