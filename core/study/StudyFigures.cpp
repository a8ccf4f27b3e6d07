#include "core/study/StudyFigures.h"

#include "core/io/RunStore.h"

#include <QBuffer>
#include <QDir>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSet>

#include <cmath>
#include <functional>
#include <limits>

namespace redifine {

namespace {

// Figure layout in logical units: pixels of the PNG before `scale`, points of the PDF.
constexpr double kFontPixels = 13.0;
constexpr double kPanelWidth = 400.0;
constexpr double kPanelHeight = 290.0;
constexpr int kPanelColumns = 3;

const QList<QColor> &palette()
{
    // Tableau 10: distinct hues that stay apart in print and for most colour-vision deficiencies.
    static const QList<QColor> colours = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728), QColor(0x9467bd),
                                          QColor(0x8c564b), QColor(0xe377c2), QColor(0x7f7f7f), QColor(0xbcbd22), QColor(0x17becf)};
    return colours;
}

QColor colourOf(int index)
{
    return palette()[index % palette().size()];
}

// Past ten conditions the colours repeat, so the marker shape changes with each round.
void drawMarker(QPainter &p, const QPointF &at, int index, double radius)
{
    p.setBrush(colourOf(index));
    p.setPen(QPen(Qt::black, 0.6));
    switch ((index / int(palette().size())) % 4) {
    case 0: p.drawEllipse(at, radius, radius); break;
    case 1: p.drawRect(QRectF(at.x() - radius, at.y() - radius, 2 * radius, 2 * radius)); break;
    case 2: p.drawPolygon(QPolygonF{{at.x(), at.y() - radius * 1.2}, {at.x() + radius * 1.1, at.y() + radius * 0.8}, {at.x() - radius * 1.1, at.y() + radius * 0.8}}); break;
    default: p.drawPolygon(QPolygonF{{at.x(), at.y() - radius * 1.3}, {at.x() + radius, at.y()}, {at.x(), at.y() + radius * 1.3}, {at.x() - radius, at.y()}}); break;
    }
}

QString displayName(const QString &metric)
{
    static const QMap<QString, QString> names = {
        {QStringLiteral("fd"), QStringLiteral("FD")}, {QStringLiteral("sfd"), QStringLiteral("SFD")}, {QStringLiteral("kid"), QStringLiteral("KID")},
        {QStringLiteral("clip_score"), QStringLiteral("CLIP score")}, {QStringLiteral("fd_infinity"), QStringLiteral("FD-infinity")},
        {QStringLiteral("high_frequency_ratio"), QStringLiteral("high-frequency ratio")}, {QStringLiteral("latent_std"), QStringLiteral("latent std")},
        {QStringLiteral("latent_mean"), QStringLiteral("latent mean")}, {QStringLiteral("diffnorm_last"), QStringLiteral("Diff norm, last step")},
        {QStringLiteral("clipped_share"), QStringLiteral("clipped share")}, {QStringLiteral("finetune_final_loss"), QStringLiteral("final finetune loss")}};
    return names.value(metric, metric);
}

struct Range
{
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();

    void add(double v)
    {
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    // 6% margins; a single value gets a range around it.
    Range padded() const
    {
        if (!(low <= high))
            return {0.0, 1.0};
        if (high - low < 1e-12 * std::max(1.0, std::abs(high))) {
            const double half = std::max(std::abs(high) * 0.1, 1e-3);
            return {low - half, high + half};
        }
        const double margin = (high - low) * 0.06;
        return {low - margin, high + margin};
    }
};

// Ticks at 1, 2, 2.5 or 5 times a power of ten, about `count` of them.
QList<double> ticksOf(const Range &r, int count)
{
    const double raw = (r.high - r.low) / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    QList<double> ticks;
    for (double t = std::ceil(r.low / step) * step; t <= r.high + step * 1e-9; t += step)
        ticks << (std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

// One set of axes: maps data to the plot rectangle and draws the frame, grid, ticks and labels.
class Axes
{
public:
    Axes(const QRectF &plot, const Range &x, const Range &y) : m_plot(plot), m_x(x), m_y(y) {}

    QPointF map(double x, double y) const
    {
        return {m_plot.left() + (x - m_x.low) / (m_x.high - m_x.low) * m_plot.width(),
                m_plot.bottom() - (y - m_y.low) / (m_y.high - m_y.low) * m_plot.height()};
    }

    void draw(QPainter &p, const QString &title, const QString &xLabel, const QString &yLabel, bool integerX) const
    {
        QFont font = p.font();
        const QFontMetricsF metrics(font, p.device());
        p.setPen(QPen(QColor(0xe4e4e4), 0.8));
        QList<double> xTicks = ticksOf(m_x, 6);
        if (integerX) {
            xTicks.clear();
            for (double t = std::ceil(m_x.low); t <= m_x.high; t += 1.0)
                xTicks << t;
        }
        const QList<double> yTicks = ticksOf(m_y, 5);
        for (double t : xTicks)
            p.drawLine(map(t, m_y.low), map(t, m_y.high));
        for (double t : yTicks)
            p.drawLine(map(m_x.low, t), map(m_x.high, t));
        p.setPen(QPen(Qt::black, 1.0));
        p.setBrush(Qt::NoBrush);
        p.drawRect(m_plot);
        for (double t : xTicks) {
            const QPointF at = map(t, m_y.low);
            p.drawLine(at, at + QPointF(0, 4));
            const QString text = QString::number(t, 'g', 4);
            p.drawText(QRectF(at.x() - 40, at.y() + 5, 80, metrics.height()), Qt::AlignHCenter | Qt::AlignTop, text);
        }
        double widest = 0.0;
        for (double t : yTicks) {
            const QPointF at = map(m_x.low, t);
            p.drawLine(at, at - QPointF(4, 0));
            const QString text = QString::number(t, 'g', 4);
            widest = std::max(widest, metrics.horizontalAdvance(text));
            p.drawText(QRectF(at.x() - 86, at.y() - metrics.height() / 2, 80, metrics.height()), Qt::AlignRight | Qt::AlignVCenter, text);
        }
        p.drawText(QRectF(m_plot.left(), m_plot.bottom() + 6 + metrics.height(), m_plot.width(), metrics.height() + 4), Qt::AlignHCenter | Qt::AlignTop,
                   xLabel);
        p.save();
        p.translate(m_plot.left() - widest - 14 - metrics.height(), m_plot.center().y());
        p.rotate(-90);
        p.drawText(QRectF(-m_plot.height() / 2, 0, m_plot.height(), metrics.height() + 2), Qt::AlignHCenter | Qt::AlignTop, yLabel);
        p.restore();
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(m_plot.left(), m_plot.top() - metrics.height() - 6, m_plot.width(), metrics.height() + 2), Qt::AlignHCenter | Qt::AlignBottom,
                   title);
        p.setFont(font);
    }

private:
    QRectF m_plot;
    Range m_x;
    Range m_y;
};

void prepare(QPainter &p)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(int(kFontPixels));
    p.setFont(font);
}

// Legend entries as rows of (marker or line, label) in `columns` columns starting at `topLeft`.
void drawLegend(QPainter &p, const QPointF &topLeft, double columnWidth, int columns, const QStringList &labels, bool lines)
{
    const double rowHeight = kFontPixels + 8;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const QPointF at = topLeft + QPointF(double(i % columns) * columnWidth, double(i / columns) * rowHeight);
        const QPointF marker = at + QPointF(12, rowHeight / 2);
        if (lines) {
            p.setPen(QPen(colourOf(int(i)), 2.0));
            p.drawLine(marker - QPointF(10, 0), marker + QPointF(10, 0));
        }
        drawMarker(p, marker, int(i), 4.0);
        p.setPen(Qt::black);
        p.drawText(QRectF(at.x() + 28, at.y(), columnWidth - 32, rowHeight), Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
    }
}

QString conditionLegend(const StudyCondition &c, int n)
{
    return QStringLiteral("%1 (n = %2)").arg(c.label).arg(n);
}

QSizeF reusabilitySize(const StudyResult &study)
{
    return {960.0, std::max(560.0, 90.0 + double(study.conditions.size()) * (kFontPixels + 8))};
}

void paintReusability(QPainter &p, const StudyResult &study, const QString &metric, const QSizeF &size)
{
    prepare(p);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const double legendWidth = 330.0;
    const QRectF plot(90, 50, size.width() - legendWidth - 110, size.height() - 120);
    Range x, y;
    QSet<int> ks;
    for (const StudyCondition &c : study.conditions) {
        const SampleSummary first = c.perIteration.value(metric).value(1);
        const SampleSummary reuse = c.reusability.value(metric).summary;
        if (first.n == 0 || reuse.n == 0)
            continue;
        for (double v : {first.mean, first.low, first.high})
            x.add(v);
        for (double v : {reuse.mean, reuse.low, reuse.high})
            y.add(v);
        ks.insert(c.reusability.value(metric).k);
    }
    const Axes axes(plot, x.padded(), y.padded());
    const QString name = displayName(metric);
    const QString k = ks.size() == 1 ? QString::number(*ks.begin()) : QStringLiteral("K");
    axes.draw(p, QStringLiteral("%2 reusability (K = %1) vs %2_1: mean, 95% CI over seeds").arg(k, name),
              QStringLiteral("%1_1").arg(name), QStringLiteral("reusability %2_%1 - %2_1").arg(k, name), false);
    QStringList legend;
    for (qsizetype i = 0; i < study.conditions.size(); ++i) {
        const StudyCondition &c = study.conditions[i];
        const SampleSummary first = c.perIteration.value(metric).value(1);
        const SampleSummary reuse = c.reusability.value(metric).summary;
        legend << conditionLegend(c, reuse.n);
        if (first.n == 0 || reuse.n == 0)
            continue;
        const QPointF centre = axes.map(first.mean, reuse.mean);
        p.setPen(QPen(colourOf(int(i)).darker(120), 1.4));
        if (std::isfinite(first.low)) {
            p.drawLine(axes.map(first.low, reuse.mean), axes.map(first.high, reuse.mean));
            for (double v : {first.low, first.high})
                p.drawLine(axes.map(v, reuse.mean) - QPointF(0, 4), axes.map(v, reuse.mean) + QPointF(0, 4));
        }
        if (std::isfinite(reuse.low)) {
            p.drawLine(axes.map(first.mean, reuse.low), axes.map(first.mean, reuse.high));
            for (double v : {reuse.low, reuse.high})
                p.drawLine(axes.map(first.mean, v) - QPointF(4, 0), axes.map(first.mean, v) + QPointF(4, 0));
        }
        drawMarker(p, centre, int(i), 5.5);
    }
    drawLegend(p, QPointF(plot.right() + 24, plot.top()), legendWidth, 1, legend, false);
}

// The metrics drawn as curves, in the paper's order, then any other chosen one.
QStringList curveMetrics(const StudyResult &study)
{
    QStringList metrics;
    for (const char *m : {"fd", "sfd", "clip_score", "kid", "saturation", "colourfulness", "high_frequency_ratio", "sharpness", "latent_std",
                          "latent_mean", "diffnorm_last"})
        if (study.metrics.contains(QLatin1String(m)))
            metrics << QLatin1String(m);
    for (const QString &m : study.reusabilityMetrics)
        if (!metrics.contains(m))
            metrics << m;
    return metrics;
}

int legendRows(const StudyResult &study, int columns)
{
    return int((study.conditions.size() + columns - 1) / columns);
}

QSizeF curvesSize(const StudyResult &study)
{
    const int rows = int((curveMetrics(study).size() + kPanelColumns - 1) / kPanelColumns);
    return {kPanelColumns * kPanelWidth, std::max(1, rows) * kPanelHeight + 40 + legendRows(study, 2) * (kFontPixels + 8)};
}

void paintCurves(QPainter &p, const StudyResult &study, const QSizeF &size)
{
    prepare(p);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const QStringList metrics = curveMetrics(study);
    int lastIteration = 0;
    for (const StudyCondition &c : study.conditions)
        lastIteration = std::max(lastIteration, c.iterations);
    for (qsizetype m = 0; m < metrics.size(); ++m) {
        const QRectF cell(double(m % kPanelColumns) * kPanelWidth, double(m / kPanelColumns) * kPanelHeight, kPanelWidth, kPanelHeight);
        const QRectF plot = cell.adjusted(78, 34, -16, -50);
        Range y;
        for (const StudyCondition &c : study.conditions)
            for (const SampleSummary &s : c.perIteration.value(metrics[m]))
                for (double v : {s.mean, s.low, s.high})
                    y.add(v);
        const Axes axes(plot, Range{-0.3, lastIteration + 0.3}, y.padded());
        axes.draw(p, displayName(metrics[m]), QStringLiteral("iteration"), QStringLiteral("mean, 95% CI"), true);
        p.save();
        p.setClipRect(plot);
        for (qsizetype i = 0; i < study.conditions.size(); ++i) {
            const QMap<int, SampleSummary> series = study.conditions[i].perIteration.value(metrics[m]);
            QPolygonF upper, lower, means;
            for (auto it = series.begin(); it != series.end(); ++it) {
                means << axes.map(it.key(), it.value().mean);
                if (std::isfinite(it.value().low)) {
                    upper << axes.map(it.key(), it.value().high);
                    lower.prepend(axes.map(it.key(), it.value().low));
                }
            }
            QColor band = colourOf(int(i));
            band.setAlpha(45);
            p.setPen(Qt::NoPen);
            p.setBrush(band);
            p.drawPolygon(upper + lower);
            p.setPen(QPen(colourOf(int(i)), 1.8));
            p.setBrush(Qt::NoBrush);
            p.drawPolyline(means);
            for (const QPointF &point : means)
                drawMarker(p, point, int(i), 3.0);
        }
        p.restore();
    }
    const double legendTop = std::max(1, int((metrics.size() + kPanelColumns - 1) / kPanelColumns)) * kPanelHeight + 8;
    QStringList legend;
    for (const StudyCondition &c : study.conditions)
        legend << conditionLegend(c, int(c.seeds.size()));
    p.setPen(Qt::black);
    p.drawText(QRectF(20, legendTop, size.width() - 40, kFontPixels + 8), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("Lines: mean over seeds; bands: 95% t interval (n >= 2). Sweep %1.").arg(study.name));
    drawLegend(p, QPointF(20, legendTop + kFontPixels + 10), (size.width() - 40) / 2, 2, legend, true);
}

QImage render(const QSizeF &size, double scale, const std::function<void(QPainter &)> &paint)
{
    QImage image((size * scale).toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.scale(scale, scale);
    paint(p);
    return image;
}

void writeFigure(const QString &dir, const QString &stem, const QSizeF &size, const std::function<void(QPainter &)> &paint, QStringList &written)
{
    const RunStore store(dir);
    QByteArray png;
    QBuffer pngBuffer(&png);
    pngBuffer.open(QIODevice::WriteOnly);
    render(size, 2.0, paint).save(&pngBuffer, "PNG");
    store.writeText(QDir(dir).filePath(stem + QStringLiteral(".png")), png);

    // At 72 dpi one device unit is one point, so the PDF page is the figure's logical size.
    QByteArray pdf;
    QBuffer pdfBuffer(&pdf);
    pdfBuffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&pdfBuffer);
        writer.setResolution(72);
        writer.setPageSize(QPageSize(size, QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setTitle(stem);
        writer.setCreator(QStringLiteral("redifine study"));
        QPainter p(&writer);
        paint(p);
    }
    store.writeText(QDir(dir).filePath(stem + QStringLiteral(".pdf")), pdf);
    written << QDir(dir).filePath(stem + QStringLiteral(".png")) << QDir(dir).filePath(stem + QStringLiteral(".pdf"));
}

} // namespace

QImage reusabilityFigure(const StudyResult &study, const QString &metric, double scale)
{
    const QSizeF size = reusabilitySize(study);
    return render(size, scale, [&](QPainter &p) { paintReusability(p, study, metric, size); });
}

QImage metricCurvesFigure(const StudyResult &study, double scale)
{
    const QSizeF size = curvesSize(study);
    return render(size, scale, [&](QPainter &p) { paintCurves(p, study, size); });
}

QStringList writeStudyFigures(const StudyResult &study, const QString &dir)
{
    QStringList written;
    for (const QString &metric : study.reusabilityMetrics) {
        const QSizeF size = reusabilitySize(study);
        writeFigure(dir, QStringLiteral("reusability-") + metric, size, [&](QPainter &p) { paintReusability(p, study, metric, size); }, written);
    }
    const QSizeF size = curvesSize(study);
    writeFigure(dir, QStringLiteral("metrics"), size, [&](QPainter &p) { paintCurves(p, study, size); }, written);
    return written;
}

} // namespace redifine
