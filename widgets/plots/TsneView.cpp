#include "widgets/plots/TsneView.h"

#include "core/analysis/Tsne.h"
#include "core/io/Npy.h"
#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QFile>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

namespace redifine {

TsneView::TsneView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("tsne"), context, parent)
{
    m_button = new QPushButton(tr("Compute t-SNE of the image features"));
    connect(m_button, &QPushButton::clicked, this, &TsneView::compute);
    addControl(m_button);
    connect(&m_tsne, &QFutureWatcher<Points>::finished, this, &TsneView::show);
}

TsneView::~TsneView()
{
    m_tsne.waitForFinished();
}

void TsneView::replot()
{
    plot()->clearPlottables();
    plot()->clearItems();
    plot()->replot(QCustomPlot::rpQueuedReplot);
}

void TsneView::compute()
{
    if (m_tsne.isRunning())
        return;
    m_button->setEnabled(false);
    m_button->setText(tr("Computing t-SNE…"));
    const QList<RunSummary> runs = m_context.runs;
    m_tsne.setFuture(QtConcurrent::run([runs] {
        Points points;
        NpyArray all;
        for (int r = 0; r < runs.size(); ++r)
            for (const IterationRecord &record : runs[r].iterationRecords) {
                const QString path = runs[r].iterationFile(record.index, QStringLiteral("features_tiny-clip.npy"));
                if (!record.done || !QFile::exists(path))
                    continue;
                try {
                    const NpyArray f = readNpy(path);
                    if (!all.shape.empty() && f.columns() != all.columns())
                        continue;
                    appendRows(all, f);
                    for (int64_t i = 0; i < f.rows(); ++i) {
                        points.run << r;
                        points.iteration << record.index;
                    }
                } catch (const std::exception &) {
                    continue;
                }
            }
        try {
            TsneOptions options;
            options.perplexity = std::min(30.0, std::max(2.0, (double(all.rows()) - 2.0) / 3.0));
            points.xy = tsne(all, options);
        } catch (const std::exception &error) {
            points.error = QString::fromUtf8(error.what());
        }
        return points;
    }));
}

void TsneView::show()
{
    m_button->setEnabled(true);
    m_button->setText(tr("Compute t-SNE of the image features"));
    const Points points = m_tsne.result();
    QCustomPlot *p = plot();
    resetPlot(p, QStringLiteral("t-SNE 1"), QStringLiteral("t-SNE 2"));
    if (!points.error.isEmpty()) {
        auto *text = new QCPItemText(p);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(points.error);
        p->replot();
        Q_EMIT finished();
        return;
    }
    const QList<RunSummary> &runs = m_context.runs;
    for (int r = 0; r < runs.size(); ++r) {
        QVector<double> cx, cy;
        for (int k = 0; k <= runs[r].iterations; ++k) {
            QVector<double> x, y;
            for (int i = 0; i < points.run.size(); ++i)
                if (points.run[i] == r && points.iteration[i] == k) {
                    x << points.xy[2 * size_t(i)];
                    y << points.xy[2 * size_t(i) + 1];
                }
            if (x.isEmpty())
                continue;
            QColor colour = chainColour(r);
            colour.setAlphaF(0.3 + 0.7 * double(k) / std::max(1, runs[r].iterations));
            QCPGraph *graph = addLine(p, tr("%1 iteration %2").arg(runs[r].name).arg(k), colour, x, y);
            graph->setLineStyle(QCPGraph::lsNone);
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 5));
            double sx = 0.0, sy = 0.0;
            for (int i = 0; i < x.size(); ++i) {
                sx += x[i];
                sy += y[i];
            }
            cx << sx / x.size();
            cy << sy / y.size();
        }
        for (int i = 1; i < cx.size(); ++i) {
            auto *arrow = new QCPItemLine(p);
            arrow->start->setCoords(cx[i - 1], cy[i - 1]);
            arrow->end->setCoords(cx[i], cy[i]);
            arrow->setHead(QCPLineEnding::esSpikeArrow);
            arrow->setPen(QPen(chainColour(r), 2));
        }
    }
    p->rescaleAxes();
    p->replot();
    Q_EMIT finished();
}

} // namespace redifine
