#include "widgets/CfgSchedulePlot.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

namespace redifine {

namespace {

// Distinct, colour-blind friendly hues (Okabe-Ito) so overlaid schedules stay apart.
const QColor kPalette[] = {QColor(0, 114, 178), QColor(213, 94, 0), QColor(0, 158, 115),
                           QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233)};

} // namespace

CfgSchedulePlot::CfgSchedulePlot(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->xAxis->setLabel(tr("Denoising step t"));
    m_plot->yAxis->setLabel(tr("Guidance scale s_t"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    m_plot->setMinimumSize(240, 180);
}

void CfgSchedulePlot::setSteps(int steps)
{
    m_steps = std::max(1, steps);
    replot();
}

void CfgSchedulePlot::setSchedules(const QList<QPair<QString, CfgSchedule>> &schedules)
{
    m_schedules = schedules;
    replot();
}

QVector<double> CfgSchedulePlot::plottedValues(int index) const
{
    QVector<double> values;
    QCPGraph *graph = m_plot->graph(index);
    if (!graph)
        return values;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        values.append(it->value);
    return values;
}

void CfgSchedulePlot::replot()
{
    m_plot->clearGraphs();
    double maxScale = 1.0;
    for (int i = 0; i < m_schedules.size(); ++i) {
        const auto &[name, schedule] = m_schedules.at(i);
        QCPGraph *graph = m_plot->addGraph();
        graph->setName(name);
        const QColor colour = kPalette[i % std::size(kPalette)];
        graph->setPen(QPen(colour, 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 4));
        QVector<double> steps, values;
        for (int t = 0; t < m_steps; ++t) {
            steps.append(t);
            values.append(schedule.scaleAt(t, m_steps));
            maxScale = std::max(maxScale, values.back());
        }
        graph->setData(steps, values, true);
    }
    m_plot->xAxis->setRange(-0.5, m_steps - 0.5);
    m_plot->yAxis->setRange(0.0, maxScale * 1.1);
    m_plot->replot();
}

} // namespace redifine
