#pragma once

#include "core/io/Npy.h"
#include "core/io/RunReader.h"

#include <QFutureWatcher>
#include <QPair>
#include <QTabWidget>
#include <QVector>

#include <optional>

class QComboBox;
class QCPColorMap;
class QCPGraph;
class QCustomPlot;
class QPushButton;

namespace redifine {

// The analysis plots of the selected runs, each refreshed when an iteration completes: metrics per iteration,
// reusability against FD_1 (paper Fig. 2a, 6), latent histograms (Fig. 4a), Diff-norm curves (Fig. 4b),
// radial and angular spectra and the 2-D spectrum (Fig. 35), fingerprints as colour maps (Fig. 9), t-SNE drift (Fig. 3a) and
// training loss. Runs keep one colour across all of them (ChainColours.h); iterations of one run go from
// dark to light.
class RunPlots : public QTabWidget
{
    Q_OBJECT
public:
    explicit RunPlots(QWidget *parent = nullptr);
    ~RunPlots() override;

    void setRuns(const QList<RunSummary> &runs);
    // Linked with the grid: the fingerprint and 2-D spectrum show this iteration; the metric plots mark it
    // and the curve plots (histograms, Diff-norm, spectra) draw it bold over the others.
    void setIteration(int iteration);
    int iteration() const { return m_iteration; }
    static constexpr double selectedCurveWidth = 3.5;

    // The metrics the "Metrics" tab offers: (dotted key into metrics.json, label).
    static QList<QPair<QString, QString>> metricChoices();
    void setMetric(const QString &key);
    // What each tab plots, for tests and export: (x, y) of graph `graph`.
    QPair<QVector<double>, QVector<double>> graphData(const QString &tab, int graph) const;
    QCustomPlot *plot(const QString &tab) const;
    QString currentPlotName() const;   // the internal name of the visible tab
    void computeTsne();
    bool isComputingTsne() const { return m_tsne.isRunning(); }

Q_SIGNALS:
    void tsneFinished();

private:
    QCustomPlot *addPlotTab(const QString &name, const QString &title, QWidget *controls = nullptr);
    void replotMetrics();
    void replotReusability();
    void replotHistograms();
    void replotDiffNorm();
    void replotSpectra();
    void replotFingerprint();
    void replotSpectrum2d();
    std::optional<NpyArray> selectedIterationMap(const QString &file) const;
    QColor curveColour(int run, int iteration) const;
    void emphasise(QCPGraph *graph, int iteration) const;
    void replotLoss();
    void showTsne();

    QList<RunSummary> m_runs;
    int m_iteration = 0;
    QString m_metric = QStringLiteral("features.fd");
    QComboBox *m_metricChoice = nullptr;
    QComboBox *m_spectrumChoice = nullptr;
    QPushButton *m_tsneButton = nullptr;
    QCPColorMap *m_fingerprintMap = nullptr;
    QCPColorMap *m_spectrumMap = nullptr;
    QHash<QString, QCustomPlot *> m_plots;
    struct TsnePoints
    {
        QList<int> run, iteration;
        std::vector<double> xy;
        QString error;
    };
    QFutureWatcher<TsnePoints> m_tsne;
};

// The value at a dotted path ("features.fd", "pixel_indicators.sharpness.mean") of a metrics object; NaN when
// absent.
double metricValue(const QJsonObject &metrics, const QString &dottedKey);

} // namespace redifine
