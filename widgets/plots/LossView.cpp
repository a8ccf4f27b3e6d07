#include "widgets/plots/LossView.h"

#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QFile>

namespace redifine {

LossView::LossView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("loss"), context, parent)
{
}

void LossView::replot()
{
    QCustomPlot *p = plot();
    resetPlot(p, tr("Finetune step"), tr("Loss"));
    if (m_context.runs.isEmpty())
        return p->replot(QCustomPlot::rpQueuedReplot);
    const RunSummary &run = m_context.runs.first();
    for (const IterationRecord &record : run.iterationRecords) {
        QFile log(run.iterationFile(record.index, QStringLiteral("train_log.csv")));
        if (record.index == 0 || !log.open(QIODevice::ReadOnly))
            continue;
        QVector<double> x, y;
        log.readLine();   // header
        while (!log.atEnd()) {
            const QList<QByteArray> fields = log.readLine().split(',');
            if (fields.size() >= 3) {
                x << fields[0].toDouble();
                y << fields[2].toDouble();
            }
        }
        addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), iterationColour(record.index, run.iterations), x, y);
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace redifine
