#include "widgets/RunPlots.h"

#include "widgets/plots/DiffNormView.h"
#include "widgets/plots/HistogramView.h"
#include "widgets/plots/LossView.h"
#include "widgets/plots/MapGridView.h"
#include "widgets/plots/MetricsView.h"
#include "widgets/plots/ReusabilityView.h"
#include "widgets/plots/SpectraView.h"
#include "widgets/plots/TsneView.h"

#include <qcustomplot.h>

#include <QCheckBox>

#include <algorithm>

namespace redifine {

RunPlots::RunPlots(QWidget *parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("plotTabs"));
    m_metrics = new MetricsView(m_context);
    m_context.metricLabel = m_metrics->metricLabel();
    connect(m_metrics, &MetricsView::metricChosen, this, &RunPlots::setMetric);
    addView(m_metrics, tr("Metrics"));
    m_reusability = new ReusabilityView(m_context);
    addView(m_reusability, tr("Reusability"));
    m_histograms = new HistogramView(m_context);
    addView(m_histograms, tr("Latent histograms"));
    addView(new DiffNormView(m_context), tr("Diff-norm"));
    addView(new SpectraView(m_context), tr("Spectra"));
    for (const auto kind : {MapGridView::Fingerprint, MapGridView::Spectrum2d}) {
        auto *view = new MapGridView(kind, m_context);
        connect(view, &MapGridView::cellSelected, this, &RunPlots::runIterationSelected);
        addView(view, kind == MapGridView::Fingerprint ? tr("Fingerprint") : tr("2-D spectrum"));
    }
    m_tsne = new TsneView(m_context);
    connect(m_tsne, &TsneView::finished, this, &RunPlots::tsneFinished);
    addView(m_tsne, tr("t-SNE"));
    addView(new LossView(m_context), tr("Training loss"));

    m_showSeeds = new QCheckBox(tr("Show each seed"));
    m_showSeeds->setObjectName(QStringLiteral("showSeeds"));
    m_showSeeds->setToolTip(tr("Runs that differ only in their seed are one condition, drawn as its mean with a 95% band; "
                               "check to draw every run on its own."));
    m_showSeeds->setEnabled(false);
    connect(m_showSeeds, &QCheckBox::toggled, this, &RunPlots::setShowSeeds);
    setCornerWidget(m_showSeeds);
}

void RunPlots::addView(PlotView *view, const QString &title)
{
    m_views << view;
    addTab(view, title);
}

QList<QPair<QString, QString>> RunPlots::metricChoices()
{
    return MetricsView::metricChoices();
}

void RunPlots::replotAll()
{
    for (PlotView *view : m_views)
        view->replot();
}

void RunPlots::setRuns(const QList<RunSummary> &runs)
{
    m_context.runs = runs;
    m_context.conditions = runConditions(runs);
    m_showSeeds->setEnabled(std::any_of(m_context.conditions.begin(), m_context.conditions.end(), [](const RunCondition &c) { return c.runs.size() > 1; }));
    replotAll();
}

void RunPlots::setIteration(int iteration)
{
    m_context.iteration = iteration;
    for (PlotView *view : m_views)
        if (view->followsIteration())
            view->replot();
}

void RunPlots::setMetric(const QString &key)
{
    m_context.metric = key;
    m_metrics->showMetric(key);
    m_context.metricLabel = m_metrics->metricLabel();
    m_metrics->replot();
    m_reusability->replot();
}

void RunPlots::setShowSeeds(bool show)
{
    if (m_showSeeds->isChecked() != show) {
        m_showSeeds->setChecked(show);   // comes back here through toggled
        return;
    }
    m_context.showSeeds = show;
    for (PlotView *view : m_views)
        if (view != m_tsne)
            view->replot();
}

QPair<QVector<double>, QVector<double>> RunPlots::graphData(const QString &tab, int graph) const
{
    QPair<QVector<double>, QVector<double>> data;
    QCustomPlot *p = plot(tab);
    if (!p || graph >= p->graphCount())
        return data;
    for (auto it = p->graph(graph)->data()->constBegin(); it != p->graph(graph)->data()->constEnd(); ++it) {
        data.first.append(it->key);
        data.second.append(it->value);
    }
    return data;
}

QCustomPlot *RunPlots::plot(const QString &tab) const
{
    for (PlotView *view : m_views)
        if (view->name() == tab)
            return view->plot();
    return nullptr;
}

MapGridPlot *RunPlots::mapGrid(const QString &tab) const
{
    return qobject_cast<MapGridPlot *>(plot(tab));
}

QString RunPlots::currentPlotName() const
{
    const auto *view = qobject_cast<const PlotView *>(currentWidget());
    return view ? view->name() : QStringLiteral("metrics");
}

void RunPlots::computeTsne()
{
    m_tsne->compute();
}

bool RunPlots::isComputingTsne() const
{
    return m_tsne->isComputing();
}

} // namespace redifine
