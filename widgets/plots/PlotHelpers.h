#pragma once

#include <QColor>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVector>

class QCPGraph;
class QCustomPlot;

namespace redifine {

// What the curve views share: a plot reset to empty axes, a named line, a shaded band, values on hover.

constexpr double kSelectedCurveWidth = 3.5;

void resetPlot(QCustomPlot *plot, const QString &xLabel, const QString &yLabel);
QCPGraph *addLine(QCustomPlot *plot, const QString &name, const QColor &colour, const QVector<double> &x, const QVector<double> &y);
// The area between low and high in a light shade of `colour`, not in the legend and not hovered.
void addBand(QCustomPlot *plot, const QColor &colour, const QVector<double> &x, const QVector<double> &low, const QVector<double> &high);
// The selected iteration's curve drawn bold and on top of the others (the plot's "selected" layer).
void emphasise(QCPGraph *graph, bool selected);
// Hovering shows the nearest point of any named curve within 12 pixels: its legend name, x and y.
void showValuesOnHover(QCustomPlot *plot);

// The value at a dotted path ("features.fd", "pixel_indicators.sharpness.mean") of a metrics object; NaN when
// absent.
double metricValue(const QJsonObject &metrics, const QString &dottedKey);

// Curves of several seeds summarised pointwise: at each x that any curve has, the mean and the 95% t interval
// of the curves' values there (low = high = mean where only one curve has a value).
struct Curve
{
    QVector<double> x, y;
};
struct MeanBand
{
    QVector<double> x, mean, low, high;
    QVector<int> n;
};
MeanBand meanBand(const QList<Curve> &curves);

} // namespace redifine
