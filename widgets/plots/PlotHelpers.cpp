#include "widgets/plots/PlotHelpers.h"

#include "core/study/Statistics.h"

#include <qcustomplot.h>

#include <QToolTip>

#include <cmath>
#include <limits>
#include <map>

namespace redifine {

void resetPlot(QCustomPlot *plot, const QString &xLabel, const QString &yLabel)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->yAxis->setScaleType(QCPAxis::stLinear);
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->legend->setFont(QFont(plot->font().family(), 8));
}

QCPGraph *addLine(QCustomPlot *plot, const QString &name, const QColor &colour, const QVector<double> &x, const QVector<double> &y)
{
    QCPGraph *graph = plot->addGraph();
    graph->setName(name);
    graph->setPen(QPen(colour, 2));
    graph->setData(x, y, true);
    return graph;
}

void addBand(QCustomPlot *plot, const QColor &colour, const QVector<double> &x, const QVector<double> &low, const QVector<double> &high)
{
    QColor shade = colour;
    shade.setAlphaF(0.18);
    QCPGraph *upper = addLine(plot, QString(), Qt::transparent, x, high);
    QCPGraph *lower = addLine(plot, QString(), Qt::transparent, x, low);
    upper->setBrush(shade);
    upper->setChannelFillGraph(lower);
    upper->removeFromLegend();
    lower->removeFromLegend();
}

void emphasise(QCPGraph *graph, bool selected)
{
    QPen pen = graph->pen();
    pen.setWidthF(selected ? kSelectedCurveWidth : 1.5);
    graph->setPen(pen);
    if (selected)
        graph->setLayer(QStringLiteral("selected"));
}

void showValuesOnHover(QCustomPlot *plot)
{
    plot->setMouseTracking(true);
    QObject::connect(plot, &QCustomPlot::mouseMove, plot, [plot](QMouseEvent *event) {
        const QPointF pos = event->position();
        QString text;
        double best = 12.0;
        for (int g = 0; g < plot->graphCount(); ++g) {
            QCPGraph *graph = plot->graph(g);
            if (graph->name().isEmpty() || !graph->visible())
                continue;
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
                const double d = QLineF(pos, QPointF(graph->keyAxis()->coordToPixel(it->key), graph->valueAxis()->coordToPixel(it->value))).length();
                if (d < best) {
                    best = d;
                    text = QStringLiteral("%1\n%2, %3").arg(graph->name()).arg(it->key, 0, 'g', 4).arg(it->value, 0, 'g', 5);
                }
            }
        }
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), text, plot);
    });
}

double metricValue(const QJsonObject &metrics, const QString &dottedKey)
{
    QJsonValue value = metrics;
    for (const QString &part : dottedKey.split(QLatin1Char('.')))
        value = value.toObject().value(part);
    return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

MeanBand meanBand(const QList<Curve> &curves)
{
    std::map<double, std::vector<double>> valuesAt;
    for (const Curve &curve : curves)
        for (qsizetype i = 0; i < curve.x.size() && i < curve.y.size(); ++i)
            if (std::isfinite(curve.y[i]))
                valuesAt[curve.x[i]].push_back(curve.y[i]);
    MeanBand band;
    for (const auto &[x, values] : valuesAt) {
        const SampleSummary s = summariseSample(values);
        band.x << x;
        band.mean << s.mean;
        band.low << (s.n >= 2 ? s.low : s.mean);
        band.high << (s.n >= 2 ? s.high : s.mean);
        band.n << s.n;
    }
    return band;
}

} // namespace redifine
