#pragma once

#include "core/io/RunReader.h"
#include "widgets/plots/PlotContext.h"
#include "widgets/plots/PlotHelpers.h"

#include <QPair>
#include <QTabWidget>
#include <QVector>

class QCheckBox;
class QCustomPlot;

namespace redifine {

class HistogramView;
class MapGridPlot;
class MetricsView;
class PlotView;
class ReusabilityView;
class TsneView;

// The analysis plots of the selected runs, one tab per view (widgets/plots/: one file per view), each redrawn
// when an iteration completes: metrics per iteration, reusability against M_1 (paper Fig. 2a, 6), latent
// histograms (Fig. 4a, 8a), Diff-norm curves (Fig. 4b), radial and angular spectra (Fig. 35), the fingerprint
// and 2-D spectrum grids (Fig. 9, 34), t-SNE drift (Fig. 3a) and training loss. Runs keep one colour across all
// of them (ChainColours.h). Runs that differ only in their seed are one condition: drawn as its mean with a 95%
// band unless "Show each seed" is on.
class RunPlots : public QTabWidget
{
    Q_OBJECT
public:
    explicit RunPlots(QWidget *parent = nullptr);

    void setRuns(const QList<RunSummary> &runs);
    // Linked with the grid: the map grids highlight this iteration's column, the metric plots mark it and the
    // curve plots (histograms, Diff-norm, spectra) draw it bold over the others.
    void setIteration(int iteration);
    int iteration() const { return m_context.iteration; }
    static constexpr double selectedCurveWidth = kSelectedCurveWidth;

    static QList<QPair<QString, QString>> metricChoices();
    void setMetric(const QString &key);
    void setShowSeeds(bool show);
    const PlotContext &context() const { return m_context; }

    // What each tab plots, for tests and export: (x, y) of graph `graph`.
    QPair<QVector<double>, QVector<double>> graphData(const QString &tab, int graph) const;
    QCustomPlot *plot(const QString &tab) const;
    QString currentPlotName() const;   // the internal name of the visible tab
    HistogramView *histograms() const { return m_histograms; }
    MapGridPlot *mapGrid(const QString &tab) const;   // "fingerprint" or "spectrum2d"
    void computeTsne();
    bool isComputingTsne() const;

Q_SIGNALS:
    void tsneFinished();
    // A map grid's cell was clicked: show this run (an index into the runs) at this iteration.
    void runIterationSelected(int run, int iteration);

private:
    void addView(PlotView *view, const QString &title);
    void replotAll();

    PlotContext m_context;
    QList<PlotView *> m_views;
    MetricsView *m_metrics = nullptr;
    ReusabilityView *m_reusability = nullptr;
    HistogramView *m_histograms = nullptr;
    TsneView *m_tsne = nullptr;
    QCheckBox *m_showSeeds = nullptr;
};

} // namespace redifine
