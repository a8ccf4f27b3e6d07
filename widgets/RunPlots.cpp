#include "widgets/RunPlots.h"

#include "core/analysis/AnalysisJson.h"
#include "core/analysis/Tsne.h"
#include "core/common/Json.h"
#include "core/io/Npy.h"
#include "widgets/ChainColours.h"
#include "widgets/PlotStyle.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolTip>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace redifine {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void resetPlot(QCustomPlot *plot, const QString &xLabel, const QString &yLabel)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->yAxis->setScaleType(QCPAxis::stLinear);
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->legend->setVisible(true);
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

// Hovering shows the value under the mouse: the nearest point of any curve within 12 pixels (its legend name,
// x and y), or the value of a colour-map cell.
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
            for (int i = 0; i < plot->plottableCount(); ++i)
                if (auto *map = qobject_cast<QCPColorMap *>(plot->plottable(i)); map && map->visible() && map->data()->keySize() > 0) {
                    const double key = map->keyAxis()->pixelToCoord(pos.x()), value = map->valueAxis()->pixelToCoord(pos.y());
                    if (map->data()->keyRange().contains(key) && map->data()->valueRange().contains(value))
                        text = QStringLiteral("(%1, %2): %3").arg(key, 0, 'f', 0).arg(value, 0, 'f', 0).arg(map->data()->data(key, value), 0, 'g', 4);
                }
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), text, plot);
    });
}

} // namespace

double metricValue(const QJsonObject &metrics, const QString &dottedKey)
{
    QJsonValue value = metrics;
    for (const QString &part : dottedKey.split(QLatin1Char('.')))
        value = value.toObject().value(part);
    return value.isDouble() ? value.toDouble() : kNaN;
}

RunPlots::RunPlots(QWidget *parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("plotTabs"));
    m_metricChoice = new QComboBox;
    for (const auto &[key, label] : metricChoices())
        m_metricChoice->addItem(label, key);
    connect(m_metricChoice, &QComboBox::currentIndexChanged, this, [this] { setMetric(m_metricChoice->currentData().toString()); });
    addPlotTab(QStringLiteral("metrics"), tr("Metrics"), m_metricChoice);
    addPlotTab(QStringLiteral("reusability"), tr("Reusability"));
    addPlotTab(QStringLiteral("histograms"), tr("Latent histograms"));
    addPlotTab(QStringLiteral("diffnorm"), tr("Diff-norm"));
    m_spectrumChoice = new QComboBox;
    m_spectrumChoice->addItem(tr("Images: radial"), QStringLiteral("image_spectrum:radial"));
    m_spectrumChoice->addItem(tr("Images: angular"), QStringLiteral("image_spectrum:angular"));
    m_spectrumChoice->addItem(tr("Latents: radial"), QStringLiteral("latent_spectrum:radial"));
    m_spectrumChoice->addItem(tr("Latents: angular"), QStringLiteral("latent_spectrum:angular"));
    connect(m_spectrumChoice, &QComboBox::currentIndexChanged, this, &RunPlots::replotSpectra);
    addPlotTab(QStringLiteral("spectra"), tr("Spectra"), m_spectrumChoice);
    QCustomPlot *fingerprint = addPlotTab(QStringLiteral("fingerprint"), tr("Fingerprint"));
    m_fingerprintMap = new QCPColorMap(fingerprint->xAxis, fingerprint->yAxis);
    m_fingerprintMap->setGradient(QCPColorGradient::gpPolar);
    auto *scale = new QCPColorScale(fingerprint);
    fingerprint->plotLayout()->addElement(0, 1, scale);
    m_fingerprintMap->setColorScale(scale);
    fingerprint->yAxis->setLabel(tr("lag y (pixels)"));
    QCustomPlot *spectrum2d = addPlotTab(QStringLiteral("spectrum2d"), tr("2-D spectrum"));
    m_spectrumMap = new QCPColorMap(spectrum2d->xAxis, spectrum2d->yAxis);
    m_spectrumMap->setGradient(QCPColorGradient::gpThermal);
    auto *spectrumScale = new QCPColorScale(spectrum2d);
    spectrum2d->plotLayout()->addElement(0, 1, spectrumScale);
    m_spectrumMap->setColorScale(spectrumScale);
    spectrum2d->xAxis->setLabel(tr("horizontal frequency (cycles per pixel)"));
    spectrum2d->yAxis->setLabel(tr("vertical frequency (cycles per pixel)"));
    m_tsneButton = new QPushButton(tr("Compute t-SNE of the image features"));
    connect(m_tsneButton, &QPushButton::clicked, this, &RunPlots::computeTsne);
    addPlotTab(QStringLiteral("tsne"), tr("t-SNE"), m_tsneButton);
    addPlotTab(QStringLiteral("loss"), tr("Training loss"));
    connect(&m_tsne, &QFutureWatcher<TsnePoints>::finished, this, &RunPlots::showTsne);
}

RunPlots::~RunPlots()
{
    m_tsne.waitForFinished();
}

QCustomPlot *RunPlots::addPlotTab(const QString &name, const QString &title, QWidget *controls)
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(2, 2, 2, 2);
    if (controls) {
        auto *row = new QHBoxLayout;
        row->addWidget(controls);
        row->addStretch();
        layout->addLayout(row);
    }
    auto *plot = new QCustomPlot;
    plot->setObjectName(name + QStringLiteral("Plot"));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setMinimumSize(200, 140);
    stylePlot(plot, palette());
    plot->addLayer(QStringLiteral("selected"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    showValuesOnHover(plot);
    layout->addWidget(plot);
    addTab(page, title);
    m_plots.insert(name, plot);
    return plot;
}

QCustomPlot *RunPlots::plot(const QString &tab) const
{
    return m_plots.value(tab);
}

QString RunPlots::currentPlotName() const
{
    for (auto it = m_plots.begin(); it != m_plots.end(); ++it)
        if (currentWidget() && currentWidget()->isAncestorOf(it.value()))
            return it.key();
    return QStringLiteral("metrics");
}

QList<QPair<QString, QString>> RunPlots::metricChoices()
{
    return {{QStringLiteral("features.fd"), tr("Frechet distance to D_0")},
            {QStringLiteral("features.fd_infinity"), tr("FD-infinity (small-sample bias removed)")},
            {QStringLiteral("features.clip_score"), tr("CLIP score")},
            {QStringLiteral("features.sfd"), tr("SFD (paired by prompt)")},
            {QStringLiteral("features.kid"), tr("KID")},
            {QStringLiteral("features.precision"), tr("Precision")},
            {QStringLiteral("features.recall"), tr("Recall")},
            {QStringLiteral("features.density"), tr("Density")},
            {QStringLiteral("features.coverage"), tr("Coverage")},
            {QStringLiteral("features.vendi"), tr("Vendi score")},
            {QStringLiteral("pixel_indicators.colourfulness.mean"), tr("Colourfulness")},
            {QStringLiteral("pixel_indicators.saturation.mean"), tr("Saturation")},
            {QStringLiteral("pixel_indicators.clipped_share.mean"), tr("Clipped pixels")},
            {QStringLiteral("pixel_indicators.sharpness.mean"), tr("Sharpness (Laplacian variance)")},
            {QStringLiteral("pixel_indicators.high_frequency_ratio.mean"), tr("High-frequency energy")},
            {QStringLiteral("latent_std"), tr("Latent standard deviation")},
            {QStringLiteral("finetune_final_loss"), tr("Final finetune loss")}};
}

void RunPlots::setRuns(const QList<RunSummary> &runs)
{
    m_runs = runs;
    replotMetrics();
    replotReusability();
    replotHistograms();
    replotDiffNorm();
    replotSpectra();
    replotFingerprint();
    replotSpectrum2d();
    replotLoss();
    m_plots.value(QStringLiteral("tsne"))->clearPlottables();
    m_plots.value(QStringLiteral("tsne"))->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlots::setIteration(int iteration)
{
    m_iteration = iteration;
    replotMetrics();
    replotHistograms();
    replotDiffNorm();
    replotSpectra();
    replotFingerprint();
    replotSpectrum2d();
}

// The selected iteration's curve drawn bold and on top of the others.
void RunPlots::emphasise(QCPGraph *graph, int iteration) const
{
    QPen pen = graph->pen();
    pen.setWidthF(iteration == m_iteration ? selectedCurveWidth : 1.5);
    graph->setPen(pen);
    if (iteration == m_iteration)
        graph->setLayer(QStringLiteral("selected"));
}

void RunPlots::setMetric(const QString &key)
{
    m_metric = key;
    const int index = m_metricChoice->findData(key);
    if (index >= 0 && index != m_metricChoice->currentIndex()) {
        const QSignalBlocker block(m_metricChoice);
        m_metricChoice->setCurrentIndex(index);
    }
    replotMetrics();
    replotReusability();
}

QPair<QVector<double>, QVector<double>> RunPlots::graphData(const QString &tab, int graph) const
{
    QPair<QVector<double>, QVector<double>> data;
    QCustomPlot *p = m_plots.value(tab);
    if (!p || graph >= p->graphCount())
        return data;
    for (auto it = p->graph(graph)->data()->constBegin(); it != p->graph(graph)->data()->constEnd(); ++it) {
        data.first.append(it->key);
        data.second.append(it->value);
    }
    return data;
}

// One run: its iterations from dark to light; several: each run in its own colour, later iterations lighter.
QColor RunPlots::curveColour(int run, int iteration) const
{
    const int iterations = m_runs[run].iterations;
    if (m_runs.size() == 1)
        return iterationColour(iteration, iterations);
    QColor colour = chainColour(run);
    colour.setAlphaF(0.35 + 0.65 * double(iteration) / std::max(1, iterations));
    return colour;
}

void RunPlots::replotMetrics()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("metrics"));
    resetPlot(p, tr("Iteration"), m_metricChoice->currentText());
    for (int r = 0; r < m_runs.size(); ++r) {
        QVector<double> x, y;
        for (const IterationRecord &record : m_runs[r].iterationRecords) {
            const double v = metricValue(record.metrics, m_metric);
            if (record.done && std::isfinite(v)) {
                x << record.index;
                y << v;
            }
        }
        QCPGraph *graph = addLine(p, m_runs[r].name, chainColour(r), x, y);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, chainColour(r), chainColour(r), 6));
    }
    p->rescaleAxes();
    p->xAxis->setRange(-0.3, std::max(1.0, p->xAxis->range().upper + 0.3));
    p->yAxis->scaleRange(1.15);
    // The iteration selected in the grid (or another plot), as a vertical line.
    auto *marker = new QCPItemStraightLine(p);
    marker->setObjectName(QStringLiteral("selectedIteration"));
    marker->setPen(QPen(p->palette().color(QPalette::WindowText), 1, Qt::DashLine));
    marker->point1->setCoords(m_iteration, 0.0);
    marker->point2->setCoords(m_iteration, 1.0);
    // Iterations are whole numbers.
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    p->xAxis->setTicker(ticker);
    p->replot(QCustomPlot::rpQueuedReplot);
}

// Paper Eq. 4: reusability M_K - M_1 against the first iteration's M_1, for the metric chosen in the Metrics tab
// (FD by default; the paper also uses CLIP score and SFD).
void RunPlots::replotReusability()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("reusability"));
    const QString metric = m_metricChoice->currentText();
    resetPlot(p, tr("%1 at iteration 1 (first-iteration fidelity)").arg(metric), tr("%1: iteration K minus iteration 1 (reusability)").arg(metric));
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunSummary &run = m_runs[r];
        int last = -1;
        for (const IterationRecord &record : run.iterationRecords)
            if (record.done && std::isfinite(metricValue(record.metrics, m_metric)))
                last = record.index;
        if (last < 2)
            continue;
        const double first = metricValue(run.iterationRecords[1].metrics, m_metric);
        const double final = metricValue(run.iterationRecords[last].metrics, m_metric);
        QCPGraph *graph = addLine(p, QStringLiteral("%1 (K = %2)").arg(run.name).arg(last), chainColour(r), {first}, {final - first});
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, chainColour(r), chainColour(r), 10));
    }
    p->rescaleAxes();
    p->xAxis->scaleRange(1.3);
    p->yAxis->scaleRange(1.3);
    p->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlots::replotHistograms()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("histograms"));
    resetPlot(p, tr("Latent value"), tr("Density"));
    if (m_runs.isEmpty())
        return p->replot(QCustomPlot::rpQueuedReplot);
    const RunSummary &run = m_runs.first();
    for (const IterationRecord &record : run.iterationRecords) {
        if (!record.done)
            continue;
        const QJsonObject all = json::readObjectFile(run.iterationFile(record.index, QStringLiteral("analysis/latent_histogram.json"))).value(QStringLiteral("all")).toObject();
        const std::vector<double> edges = doublesOf(all.value(QStringLiteral("edges")).toArray());
        const std::vector<double> density = doublesOf(all.value(QStringLiteral("density")).toArray());
        if (edges.size() != density.size() + 1)
            continue;
        QVector<double> x, y;
        for (size_t b = 0; b < density.size(); ++b) {
            x << (edges[b] + edges[b + 1]) / 2.0;
            y << density[b];
        }
        emphasise(addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), iterationColour(record.index, run.iterations), x, y),
                  record.index);
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlots::replotDiffNorm()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("diffnorm"));
    resetPlot(p, tr("Denoising step"), tr("|eps_c - eps_u| (mean over images, band: +-1 sd)"));
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunSummary &run = m_runs[r];
        for (const IterationRecord &record : run.iterationRecords) {
            const std::vector<double> mean = doublesOf(record.metrics.value(QStringLiteral("diffnorm_mean_per_step")).toArray());
            if (!record.done || mean.empty())
                continue;
            const std::vector<double> spread = doublesOf(record.metrics.value(QStringLiteral("diffnorm_spread_per_step")).toArray());
            QVector<double> x, y, low, high;
            for (size_t s = 0; s < mean.size(); ++s) {
                x << double(s);
                y << mean[s];
                low << mean[s] - (s < spread.size() ? spread[s] : 0.0);
                high << mean[s] + (s < spread.size() ? spread[s] : 0.0);
            }
            const QColor colour = curveColour(r, record.index);
            emphasise(addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), colour, x, y), record.index);
            if (spread.size() == mean.size()) {
                QColor band = colour;
                band.setAlphaF(0.12);
                QCPGraph *upper = addLine(p, QString(), Qt::transparent, x, high);
                QCPGraph *lower = addLine(p, QString(), Qt::transparent, x, low);
                upper->setBrush(band);
                upper->setChannelFillGraph(lower);
                p->legend->removeItem(p->legend->itemCount() - 1);
                p->legend->removeItem(p->legend->itemCount() - 1);
            }
        }
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlots::replotSpectra()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("spectra"));
    const QStringList choice = m_spectrumChoice->currentData().toString().split(QLatin1Char(':'));
    const bool radial = choice.value(1) == QLatin1String("radial");
    resetPlot(p, radial ? tr("Spatial frequency (cycles per pixel)") : tr("Angle (radians)"), tr("Power (mean over images)"));
    p->yAxis->setScaleType(QCPAxis::stLogarithmic);
    p->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunSummary &run = m_runs[r];
        for (const IterationRecord &record : run.iterationRecords) {
            const QJsonObject spectrum = json::readObjectFile(run.iterationFile(record.index, QStringLiteral("analysis/%1.json").arg(choice.value(0))));
            const QJsonObject profile = spectrum.value(radial ? QStringLiteral("radial") : QStringLiteral("angular")).toObject();
            const std::vector<double> x = doublesOf(profile.value(radial ? QStringLiteral("frequency") : QStringLiteral("centre")).toArray());
            const std::vector<double> y = doublesOf(profile.value(QStringLiteral("mean")).toArray());
            if (!record.done || x.empty() || x.size() != y.size())
                continue;
            // Radial: leave out the zero-frequency bin, which standardisation empties.
            QVector<double> xs, ys;
            for (size_t i = radial ? 1 : 0; i < x.size(); ++i) {
                xs << x[i];
                ys << std::max(y[i], 1e-12);
            }
            emphasise(addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), curveColour(r, record.index), xs, ys),
                      record.index);
        }
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

// A 2-D map of the selected iteration of the first run; nothing when it is missing or damaged (not a failure).
std::optional<NpyArray> RunPlots::selectedIterationMap(const QString &file) const
{
    if (m_runs.isEmpty())
        return std::nullopt;
    const RunSummary &run = m_runs.first();
    try {
        NpyArray a = readNpy(run.iterationFile(std::clamp(m_iteration, 0, run.iterations), file));
        if (a.shape.size() == 2 && a.shape[0] >= 2 && a.shape[1] >= 2)
            return a;
    } catch (const std::exception &) {
    }
    return std::nullopt;
}

// The autocorrelation of the noise residuals at lags of +-32 pixels, linear scale (paper Fig. 9).
void RunPlots::replotFingerprint()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("fingerprint"));
    m_fingerprintMap->data()->clear();
    m_fingerprintMap->setVisible(false);
    const std::optional<NpyArray> map = selectedIterationMap(QStringLiteral("analysis/fingerprint_autocorrelation.npy"));
    if (!map || map->shape[0] < 3 || map->shape[1] < 3)
        return p->replot(QCustomPlot::rpQueuedReplot);
    const NpyArray &a = *map;
    const RunSummary &run = m_runs.first();
    const int k = std::clamp(m_iteration, 0, run.iterations);
    const int h = int(a.shape[0]), w = int(a.shape[1]);
    const int radius = std::min({32, h / 2 - 1, w / 2 - 1});
    m_fingerprintMap->data()->setSize(2 * radius + 1, 2 * radius + 1);
    m_fingerprintMap->data()->setRange(QCPRange(-radius, radius), QCPRange(-radius, radius));
    double largest = 0.0;
    for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx) {
            const double v = a.values[size_t(h / 2 + dy) * w + (w / 2 + dx)];
            m_fingerprintMap->data()->setCell(dx + radius, dy + radius, v);
            if (dx != 0 || dy != 0)
                largest = std::max(largest, std::abs(v));
        }
    // Symmetric around 0 and scaled by the largest lag other than 0 (which is 1 by construction).
    m_fingerprintMap->setDataRange(QCPRange(-std::max(largest, 1e-6), std::max(largest, 1e-6)));
    m_fingerprintMap->setVisible(true);
    p->xAxis->setLabel(tr("lag x (pixels): %1, iteration %2").arg(run.name).arg(k));
    p->xAxis->setRange(-radius - 0.5, radius + 0.5);
    p->yAxis->setRange(-radius - 0.5, radius + 0.5);
    p->replot(QCustomPlot::rpQueuedReplot);
}

// The 2-D average power spectrum of the images of the selected iteration, log10, zero frequency in the centre
// (paper Fig. 35).
void RunPlots::replotSpectrum2d()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("spectrum2d"));
    m_spectrumMap->data()->clear();
    m_spectrumMap->setVisible(false);
    const std::optional<NpyArray> map = selectedIterationMap(QStringLiteral("analysis/image_spectrum.npy"));
    if (!map)
        return p->replot(QCustomPlot::rpQueuedReplot);
    const NpyArray &a = *map;
    const RunSummary &run = m_runs.first();
    const int k = std::clamp(m_iteration, 0, run.iterations);
    const int h = int(a.shape[0]), w = int(a.shape[1]);
    m_spectrumMap->data()->setSize(w, h);
    // Bin centres in cycles per pixel: index i of an fftshifted axis of n is (i - n/2) / n.
    m_spectrumMap->data()->setRange(QCPRange(-(w / 2) / double(w), (w - 1 - w / 2) / double(w)),
                                    QCPRange(-(h / 2) / double(h), (h - 1 - h / 2) / double(h)));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            m_spectrumMap->data()->setCell(x, y, std::log10(std::max(a.values[size_t(y) * w + x], 1e-12)));
    m_spectrumMap->rescaleDataRange(true);
    m_spectrumMap->setVisible(true);
    p->rescaleAxes();
    p->xAxis->setLabel(tr("horizontal frequency (cycles per pixel): %1, iteration %2, log10 power").arg(run.name).arg(k));
    p->replot(QCustomPlot::rpQueuedReplot);
}

void RunPlots::replotLoss()
{
    QCustomPlot *p = m_plots.value(QStringLiteral("loss"));
    resetPlot(p, tr("Finetune step"), tr("Loss"));
    if (m_runs.isEmpty())
        return p->replot(QCustomPlot::rpQueuedReplot);
    const RunSummary &run = m_runs.first();
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

void RunPlots::computeTsne()
{
    if (m_tsne.isRunning())
        return;
    m_tsneButton->setEnabled(false);
    m_tsneButton->setText(tr("Computing t-SNE…"));
    const QList<RunSummary> runs = m_runs;
    m_tsne.setFuture(QtConcurrent::run([runs] {
        TsnePoints points;
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

// Points coloured by run, lighter with the iteration; arrows join the centroids of consecutive iterations.
void RunPlots::showTsne()
{
    m_tsneButton->setEnabled(true);
    m_tsneButton->setText(tr("Compute t-SNE of the image features"));
    const TsnePoints points = m_tsne.result();
    QCustomPlot *p = m_plots.value(QStringLiteral("tsne"));
    resetPlot(p, QStringLiteral("t-SNE 1"), QStringLiteral("t-SNE 2"));
    if (!points.error.isEmpty()) {
        auto *text = new QCPItemText(p);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.5, 0.5);
        text->setText(points.error);
        p->replot();
        Q_EMIT tsneFinished();
        return;
    }
    for (int r = 0; r < m_runs.size(); ++r) {
        QVector<double> cx, cy;
        for (int k = 0; k <= m_runs[r].iterations; ++k) {
            QVector<double> x, y;
            for (int i = 0; i < points.run.size(); ++i)
                if (points.run[i] == r && points.iteration[i] == k) {
                    x << points.xy[2 * size_t(i)];
                    y << points.xy[2 * size_t(i) + 1];
                }
            if (x.isEmpty())
                continue;
            QColor colour = chainColour(r);
            colour.setAlphaF(0.3 + 0.7 * double(k) / std::max(1, m_runs[r].iterations));
            QCPGraph *graph = addLine(p, tr("%1 iteration %2").arg(m_runs[r].name).arg(k), colour, x, y);
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
    Q_EMIT tsneFinished();
}

} // namespace redifine
