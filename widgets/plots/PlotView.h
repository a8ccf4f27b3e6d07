#pragma once

#include "widgets/plots/PlotContext.h"

#include "widgets/plots/PlotHelpers.h"

#include <QColor>
#include <QWidget>

#include <functional>
#include <limits>

class QCustomPlot;
class QHBoxLayout;

namespace redifine {

// One tab of the analysis plots: a row of controls over one plot, drawn from the context that RunPlots owns
// and shares with every view. RunPlots calls replot() whenever the runs, the iteration, the metric or the seeds
// toggle change; a view's own controls call it too.
class PlotView : public QWidget
{
    Q_OBJECT
public:
    PlotView(const QString &name, const PlotContext &context, QWidget *parent = nullptr);

    QString name() const { return m_name; }
    virtual QCustomPlot *plot() const { return m_plot; }
    virtual void replot() = 0;
    // Whether the view draws the linked iteration (RunPlots redraws only these when it changes).
    virtual bool followsIteration() const { return true; }

protected:
    // Adds a control to the row above the plot.
    void addControl(QWidget *control);
    // Puts `plot` (a QCustomPlot made by a subclass) in place of the default one.
    void usePlot(QCustomPlot *plot);
    // One run: its iterations from dark to light; several: each its own colour, later iterations lighter.
    QColor curveColour(int run, int iteration) const;
    // Per condition and iteration, the mean over its seeds of curveOf(run, iteration), lighter with the
    // iteration; the linked iteration bold with its 95% band, kept above `floor` (a log axis has no room below 0).
    void plotConditionMeans(const std::function<Curve(const RunSummary &, int)> &curveOf,
                            double floor = -std::numeric_limits<double>::infinity());

    const PlotContext &m_context;

private:
    QString m_name;
    QHBoxLayout *m_controls = nullptr;
    QCustomPlot *m_plot = nullptr;
};

} // namespace redifine
