#pragma once

#include "core/diffusion/CfgSchedule.h"

#include <QWidget>

class QCustomPlot;

namespace redifine {

// Guidance scale against denoising step for one or more CFG schedules, overlaid for comparison.
class CfgSchedulePlot : public QWidget
{
    Q_OBJECT
public:
    explicit CfgSchedulePlot(QWidget *parent = nullptr);

    void setSteps(int steps);
    int steps() const { return m_steps; }
    // Replaces the plotted schedules; names label the legend.
    void setSchedules(const QList<QPair<QString, CfgSchedule>> &schedules);
    int scheduleCount() const { return int(m_schedules.size()); }
    // The y values plotted for schedule `index`, one per step (for tests and export).
    QVector<double> plottedValues(int index) const;

    QCustomPlot *plot() const { return m_plot; }

private:
    void replot();

    QCustomPlot *m_plot = nullptr;
    int m_steps = 30;
    QList<QPair<QString, CfgSchedule>> m_schedules;
};

} // namespace redifine
