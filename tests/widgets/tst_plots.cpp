// The analysis views of widgets/plots/ over run stores written by hand: the fingerprint and spectrum grids
// (the right map in the right cell, one shared scale, square cells at any size, labels, clicks), seeds grouped
// into conditions (mean and 95% band, error bars in both directions, a toggle for single seeds), histograms of
// all chains at one iteration, and the report's condition tables.
#include "SyntheticRun.h"

#include "core/io/Npy.h"
#include "core/study/Conditions.h"
#include "widgets/ConditionTables.h"
#include "widgets/FigureExport.h"
#include "widgets/RunPlots.h"
#include "widgets/plots/HistogramView.h"
#include "widgets/plots/MapGridPlot.h"
#include "widgets/plots/MapGridView.h"

#include <QApplication>
#include <QFile>
#include <QMouseEvent>
#include <QToolTip>
#include <QJsonArray>
#include <qcustomplot.h>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace redifine;

namespace {

QJsonObject constantCfg(double scale)
{
    return QJsonObject{{"type", "constant"}, {"scale", scale}};
}

// A synthetic run with a seed (and any extra finetune settings) in its chain.json.
RunSummary seededRun(const QString &dir, qint64 seed, double scale, double fdOffset, int iterations = 2, const QJsonObject &finetune = {})
{
    writeSyntheticRun(dir, 1, iterations, iterations, constantCfg(scale), fdOffset);
    QFile file(dir + "/chain.json");
    file.open(QIODevice::ReadOnly);
    QJsonObject chain = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonObject config = chain.value("config").toObject();
    config.insert("seed", seed);
    QJsonObject ft = config.value("finetune").toObject();
    for (auto it = finetune.begin(); it != finetune.end(); ++it)
        ft.insert(it.key(), it.value());
    config.insert("finetune", ft);
    chain.insert("config", config);
    writeJson(dir + "/chain.json", chain);
    return readRunSummary(dir);
}

// An n x n map whose every value is `value`, except the centre, 1 (an autocorrelation at lag 0).
void writeFingerprint(const QString &runDir, int iteration, int n, double value)
{
    NpyArray a;
    a.shape = {n, n};
    a.values.assign(size_t(n) * n, value);
    a.values[size_t(n / 2) * n + n / 2] = 1.0;
    QDir().mkpath(runDir + QStringLiteral("/iter_%1/analysis").arg(iteration));
    writeNpy(runDir + QStringLiteral("/iter_%1/analysis/fingerprint_autocorrelation.npy").arg(iteration), a);
}

void writeHistogram(const QString &runDir, int iteration, const QJsonArray &density)
{
    QJsonArray edges;
    for (int b = 0; b <= density.size(); ++b)
        edges.append(double(b));
    QDir().mkpath(runDir + QStringLiteral("/iter_%1/analysis").arg(iteration));
    writeJson(runDir + QStringLiteral("/iter_%1/analysis/latent_histogram.json").arg(iteration),
              QJsonObject{{"all", QJsonObject{{"edges", edges}, {"density", density}}}});
}

// Student t quantile t(0.975, 1): the 95% interval of a mean of two values is mean +- 12.706 * sd / sqrt(2).
constexpr double kT975df1 = 12.7062047361747;

} // namespace

class TestPlots : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
    }

    // Seeds of one setting are one condition; a run differing in any other setting is not; a repeat of a seed
    // is not a second sample.
    void conditionsGroupSeedsOnly()
    {
        const QList<RunSummary> runs{seededRun(m_dir.filePath("g-a0"), 0, 7.5, 0.0), seededRun(m_dir.filePath("g-a1"), 1, 7.5, 2.0),
                                     seededRun(m_dir.filePath("g-lr"), 2, 7.5, 0.0, 2, QJsonObject{{"learning_rate", 0.5}}),
                                     seededRun(m_dir.filePath("g-b0"), 0, 1.5, 0.0), seededRun(m_dir.filePath("g-a0-again"), 0, 7.5, 5.0)};
        const QList<RunCondition> conditions = runConditions(runs);
        QCOMPARE(conditions.size(), 4);
        QCOMPARE(conditions[0].runs, (QList<int>{0, 1}));
        QVERIFY(conditions[0].label.contains("(2 seeds)"));
        QCOMPARE(conditions[1].runs, QList<int>{2});
        QCOMPARE(conditions[1].label, QStringLiteral("g-lr"));
        QCOMPARE(conditions[2].runs, QList<int>{3});
        QCOMPARE(conditions[3].runs, QList<int>{4});   // the repeat of seed 0 stands alone
        QList<QJsonObject> configs;
        for (const RunSummary &run : runs)
            configs << run.config;
        const ConditionGrouping grouping = groupConditions(configs);
        QCOMPARE(grouping.repeats.size(), 1);
        QCOMPARE(grouping.repeats.first(), qMakePair(4, 0));
        QCOMPARE(grouping.differing, (QStringList{"finetune.learning_rate", "sampler.cfg.scale"}));
        QCOMPARE(grouping.groups[0].label, QStringLiteral("CFG 7.5, learning_rate=(unset)"));
    }

    // The metric of a condition is the mean over seeds with the 95% t band; the toggle shows each seed.
    void metricsShowConditionMeansWithBands()
    {
        const QList<RunSummary> runs{seededRun(m_dir.filePath("m-a0"), 0, 7.5, 0.0), seededRun(m_dir.filePath("m-a1"), 1, 7.5, 2.0),
                                     seededRun(m_dir.filePath("m-b0"), 0, 1.5, 100.0)};
        RunPlots plots;
        plots.setRuns(runs);
        QVERIFY(plots.context().aggregated());
        QCustomPlot *metrics = plots.plot("metrics");
        // Condition 1: mean line, then its band (upper, lower); condition 2: one run, no band.
        QCOMPARE(metrics->graphCount(), 4);
        QCOMPARE(plots.graphData("metrics", 0).second, (QVector<double>{1.0, 11.0, 21.0}));
        const QVector<double> upper = plots.graphData("metrics", 1).second, lower = plots.graphData("metrics", 2).second;
        for (int k = 0; k < 3; ++k) {
            // sd of {10k, 10k + 2} is sqrt(2): the half width is t * sqrt(2) / sqrt(2) = t.
            QVERIFY(std::abs(upper[k] - (10.0 * k + 1.0 + kT975df1)) < 1e-6);
            QVERIFY(std::abs(lower[k] - (10.0 * k + 1.0 - kT975df1)) < 1e-6);
        }
        QCOMPARE(plots.graphData("metrics", 3).second, (QVector<double>{100.0, 110.0, 120.0}));
        QCOMPARE(metrics->legend->itemCount(), 2);
        plots.setShowSeeds(true);
        QVERIFY(!plots.context().aggregated());
        QCOMPARE(metrics->graphCount(), 3);
        QCOMPARE(plots.graphData("metrics", 1).second, (QVector<double>{2.0, 12.0, 22.0}));
    }

    // With no runs the plots show no legend (an empty frame looked like a missing label); with curves they do.
    void legendOnlyWithCurves()
    {
        RunPlots plots;
        plots.setRuns({});
        QCustomPlot *metrics = plots.plot("metrics");
        metrics->replot();
        QCOMPARE(metrics->legend->itemCount(), 0);
        QVERIFY(!metrics->legend->visible());
        plots.setRuns({seededRun(m_dir.filePath("l-a0"), 0, 7.5, 0.0)});
        metrics->replot();
        QVERIFY(metrics->legend->itemCount() > 0);
        QVERIFY(metrics->legend->visible());
        plots.setRuns({});
        metrics->replot();
        QVERIFY(!metrics->legend->visible());
    }

    // Reusability: one point per condition, 95% error bars on FD_1 and on FD_K - FD_1.
    void reusabilityHasErrorBarsBothWays()
    {
        const QString a0 = m_dir.filePath("r-a0"), a1 = m_dir.filePath("r-a1");
        QList<RunSummary> runs{seededRun(a0, 0, 7.5, 0.0), seededRun(a1, 1, 7.5, 0.0)};
        // Seed 1's FD_2 is 4 higher: reusabilities {10, 14}, FD_1 {10, 10}.
        writeJson(a1 + "/iter_2/metrics.json", QJsonObject{{"iteration", 2}, {"features", QJsonObject{{"fd", 24.0}}}});
        runs[1] = readRunSummary(a1);
        RunPlots plots;
        plots.setRuns(runs);
        QCustomPlot *p = plots.plot("reusability");
        QCOMPARE(plots.graphData("reusability", 0).first, QVector<double>{10.0});
        QCOMPARE(plots.graphData("reusability", 0).second, QVector<double>{12.0});
        QList<QCPErrorBars *> bars;
        for (int i = 0; i < p->plottableCount(); ++i)
            if (auto *b = qobject_cast<QCPErrorBars *>(p->plottable(i)))
                bars << b;
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars[0]->errorType(), QCPErrorBars::etKeyError);
        QCOMPARE(bars[0]->data()->at(0).errorPlus, 0.0);   // FD_1 is 10 for both seeds
        QCOMPARE(bars[1]->errorType(), QCPErrorBars::etValueError);
        // sd of {10, 14} is 2 sqrt(2); half width t * 2 sqrt(2) / sqrt(2) = 2 t.
        QVERIFY(std::abs(bars[1]->data()->at(0).errorPlus - 2.0 * kT975df1) < 1e-6);
        QVERIFY(std::abs(bars[1]->data()->at(0).errorMinus - 2.0 * kT975df1) < 1e-6);
    }

    // A row per run, a column per iteration, the right map in each cell, one scale, square cells.
    void fingerprintGridPutsEachMapInItsCell()
    {
        const QString a = m_dir.filePath("f-a"), b = m_dir.filePath("f-b");
        QList<RunSummary> runs{seededRun(a, 0, 7.5, 0.0), seededRun(b, 0, 1.5, 0.0)};
        for (int k = 0; k <= 2; ++k) {
            writeFingerprint(a, k, 9, 0.1 * k);
            if (k < 2)   // b's iteration 2 has no fingerprint: a blank cell
                writeFingerprint(b, k, 9, -0.05 * (k + 1));
        }
        runs = {readRunSummary(a), readRunSummary(b)};
        RunPlots plots;
        plots.resize(900, 500);
        plots.setRuns(runs);
        plots.setIteration(1);
        plots.setCurrentIndex(5);
        plots.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plots));
        MapGridPlot *grid = plots.mapGrid("fingerprint");
        QVERIFY(grid);
        QCOMPARE(grid->rowCount(), 2);
        QCOMPARE(grid->columnCount(), 3);
        QCOMPARE(grid->columnLabelText(1), QStringLiteral("k = 1"));
        QCOMPARE(grid->rowLabelText(0), QStringLiteral("CFG 7.5, seed 0"));   // what sets the runs apart
        QCOMPARE(grid->rowLabelText(1), QStringLiteral("CFG 1.5, seed 0"));
        for (int k = 0; k <= 2; ++k) {
            QCPColorMap *map = grid->cellMap(0, k);
            QVERIFY(map);
            QCOMPARE(map->data()->keySize(), 7);   // lags of +-3 pixels in a 9 x 9 map
            QCOMPARE(map->data()->cell(0, 0), 0.1 * k);
            QCOMPARE(map->data()->cell(3, 3), 1.0);
        }
        QCOMPARE(grid->cellMap(1, 0)->data()->cell(1, 2), -0.05);
        QCOMPARE(grid->cellMap(1, 1)->data()->cell(6, 6), -0.1);
        QVERIFY(!grid->cellMap(1, 2));
        // Shared, symmetric, scaled by the largest lag other than 0 (0.2 of run a at iteration 2).
        for (int r = 0; r < 2; ++r)
            for (int k = 0; k < 2; ++k)
                QCOMPARE(grid->cellMap(r, k)->colorScale(), grid->colourScale());
        QCOMPARE(grid->colourScale()->dataRange().lower, -0.2);
        QCOMPARE(grid->colourScale()->dataRange().upper, 0.2);
        for (const QSize size : {QSize(900, 500), QSize(400, 900), QSize(1400, 300)}) {
            plots.resize(size);
            QTest::qWait(20);
            grid->replot();
            const QRect first = grid->cellRect(0, 0)->outerRect(), last = grid->cellRect(1, 2)->outerRect();
            QCOMPARE(first.width(), first.height());
            QCOMPARE(last.size(), first.size());
            QVERIFY(last.right() < grid->width());
            QVERIFY(last.bottom() < grid->height());
        }
        // Exported at the figure's size, square there too; the window's layout is back afterwards.
        const QRect before = grid->cellRect(0, 0)->outerRect();
        QVERIFY(exportPlot(grid, m_dir.filePath("fingerprint.png"), 96));
        const QImage figure(m_dir.filePath("fingerprint.png"));
        QCOMPARE(figure.size(), QSize(900, 500));
        fitPlotTo(grid, QSize(900, 500));
        grid->toPixmap(900, 500);
        QCOMPARE(grid->cellRect(0, 0)->outerRect().width(), grid->cellRect(0, 0)->outerRect().height());
        QVERIFY(grid->cellRect(1, 2)->outerRect().bottom() < 500);
        fitPlotTo(grid, grid->size());
        grid->replot();
        QCOMPARE(grid->cellRect(0, 0)->outerRect(), before);
        // Hovering a cell names its row and iteration and the value under the mouse.
        const QRect hovered = grid->cellRect(0, 2)->outerRect();
        QMouseEvent move(QEvent::MouseMove, QPointF(hovered.left() + 2, hovered.top() + 2), grid->mapToGlobal(QPointF(hovered.left() + 2, hovered.top() + 2)),
                         Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(grid, &move);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().startsWith(QStringLiteral("CFG 7.5, seed 0, k = 2")), qPrintable(QToolTip::text()));
        QVERIFY2(QToolTip::text().endsWith(QStringLiteral(": 0.2")), qPrintable(QToolTip::text()));
        // A click on a cell selects its run and iteration.
        QSignalSpy selected(&plots, &RunPlots::runIterationSelected);
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(1, 2)->outerRect().center());
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().at(0).toInt(), 1);
        QCOMPARE(selected.first().at(1).toInt(), 2);
    }

    // Seeds of a condition share a row: the mean of their maps.
    void fingerprintRowsAverageSeeds()
    {
        const QString a0 = m_dir.filePath("fs-a0"), a1 = m_dir.filePath("fs-a1");
        seededRun(a0, 0, 7.5, 0.0, 1);
        seededRun(a1, 1, 7.5, 0.0, 1);
        for (int k = 0; k <= 1; ++k) {
            writeFingerprint(a0, k, 9, 0.1);
            writeFingerprint(a1, k, 9, 0.3);
        }
        RunPlots plots;
        plots.setRuns({readRunSummary(a0), readRunSummary(a1)});
        plots.setCurrentIndex(5);
        plots.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plots));
        MapGridPlot *grid = plots.mapGrid("fingerprint");
        grid->replot();
        QCOMPARE(grid->rowLabelText(0), QStringLiteral("CFG 7.5, drop 0 (2 seeds)"));
        QCOMPARE(grid->rowCount(), 1);
        QVERIFY(std::abs(grid->cellMap(0, 1)->data()->cell(0, 0) - 0.2) < 1e-12);
        QSignalSpy selected(&plots, &RunPlots::runIterationSelected);
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(0, 1)->outerRect().center());
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().at(0).toInt(), 0);
        plots.setShowSeeds(true);
        QCOMPARE(plots.mapGrid("fingerprint")->rowCount(), 2);
    }

    // Long chains: at most 12 columns, evenly spaced from 0 to K, the selected iteration always among them.
    void longChainsShowTwelveColumns()
    {
        QCOMPARE(shownIterations(3, 1), (QList<int>{0, 1, 2, 3}));
        QCOMPARE(shownIterations(11, 0).size(), 12);
        QCOMPARE(shownIterations(22, 0), (QList<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22}));
        QCOMPARE(shownIterations(22, 7), (QList<int>{0, 2, 4, 7, 8, 10, 12, 14, 16, 18, 20, 22}));
        const QString a = m_dir.filePath("long");
        seededRun(a, 0, 7.5, 0.0, 22);
        writeFingerprint(a, 7, 9, 0.3);
        RunPlots plots;
        plots.setRuns({readRunSummary(a)});
        plots.setIteration(7);
        MapGridPlot *grid = plots.mapGrid("fingerprint");
        QCOMPARE(grid->columnCount(), 12);
        QCOMPARE(grid->columnLabelText(3), QStringLiteral("k = 7"));
        QCOMPARE(grid->cellMap(0, 3)->data()->cell(0, 0), 0.3);
    }

    // The 2-D spectrum grid shows log10 power on one scale over all cells.
    void spectrumGridShowsLogPower()
    {
        const QString a = m_dir.filePath("s-a");
        seededRun(a, 0, 7.5, 0.0, 1);
        for (int k = 0; k <= 1; ++k) {
            NpyArray power;
            power.shape = {4, 4};
            power.values.assign(16, std::pow(10.0, k + 1));
            power.values[0] = 1e-3;
            QDir().mkpath(a + QStringLiteral("/iter_%1/analysis").arg(k));
            writeNpy(a + QStringLiteral("/iter_%1/analysis/image_spectrum.npy").arg(k), power);
        }
        RunPlots plots;
        plots.setRuns({readRunSummary(a)});
        MapGridPlot *grid = plots.mapGrid("spectrum2d");
        QCOMPARE(grid->cellMap(0, 1)->data()->cell(2, 2), 2.0);
        QCOMPARE(grid->cellMap(0, 0)->data()->cell(0, 0), -3.0);
        QCOMPARE(grid->colourScale()->dataRange().lower, -3.0);
        QCOMPARE(grid->colourScale()->dataRange().upper, 2.0);
        // Bin centres in cycles per pixel: (i - n/2) / n.
        QCOMPARE(grid->cellMap(0, 0)->data()->keyRange().lower, -0.5);
        QCOMPARE(grid->cellMap(0, 0)->data()->keyRange().upper, 0.25);
        // An SD1.5-sized 512 x 512 spectrum is pooled to 128 x 128 (mean power of 4 x 4 bins, then log10); a file
        // rewritten on disk is read again.
        NpyArray big;
        big.shape = {512, 512};
        big.values.assign(512 * 512, 100.0);
        for (int x = 0; x < 4; ++x)
            big.values[size_t(x)] = 500.0;   // the first 4 x 4 block: (4 * 500 + 12 * 100) / 16 = 200
        writeNpy(a + "/iter_1/analysis/image_spectrum.npy", big);
        plots.setRuns({readRunSummary(a)});
        grid = plots.mapGrid("spectrum2d");
        QCOMPARE(grid->cellMap(0, 1)->data()->keySize(), 128);
        QVERIFY(std::abs(grid->cellMap(0, 1)->data()->cell(0, 0) - std::log10(200.0)) < 1e-12);
        QVERIFY(std::abs(grid->cellMap(0, 1)->data()->cell(5, 5) - 2.0) < 1e-12);
        // A side that 128 does not divide (320, a valid chain resolution) is pooled too: 3 x 3 bins, 107 a side,
        // the last row and column of bins averaging the 2 x 2 values left over.
        NpyArray odd;
        odd.shape = {320, 320};
        odd.values.assign(320 * 320, 100.0);
        odd.values[size_t(319) * 320 + 319] = 900.0;   // the last bin: (3 * 100 + 900) / 4 = 300
        writeNpy(a + "/iter_1/analysis/image_spectrum.npy", odd);
        plots.setRuns({readRunSummary(a)});
        grid = plots.mapGrid("spectrum2d");
        QCOMPARE(grid->cellMap(0, 1)->data()->keySize(), 107);
        QVERIFY(std::abs(grid->cellMap(0, 1)->data()->cell(106, 106) - std::log10(300.0)) < 1e-12);
        QVERIFY(std::abs(grid->cellMap(0, 1)->data()->cell(0, 0) - 2.0) < 1e-12);
    }

    // "All chains at iteration k": a curve per run at the linked iteration; per condition the mean density.
    void histogramsCompareChainsAtOneIteration()
    {
        const QString a0 = m_dir.filePath("h-a0"), a1 = m_dir.filePath("h-a1"), b = m_dir.filePath("h-b");
        seededRun(a0, 0, 7.5, 0.0, 1);
        seededRun(a1, 1, 7.5, 0.0, 1);
        seededRun(b, 0, 1.5, 0.0, 1);
        for (int k = 0; k <= 1; ++k) {
            writeHistogram(a0, k, QJsonArray{0.1 * k, 0.2});
            writeHistogram(a1, k, QJsonArray{0.3 * k, 0.4});
            writeHistogram(b, k, QJsonArray{0.5, 0.5 * k});
        }
        RunPlots plots;
        plots.setRuns({readRunSummary(a0), readRunSummary(a1), readRunSummary(b)});
        plots.setIteration(1);
        plots.histograms()->setMode(HistogramView::AllChainsAtIteration);
        QCustomPlot *p = plots.plot("histograms");
        QCOMPARE(p->graphCount(), 4);   // condition a: mean and band; condition b: one curve
        QCOMPARE(plots.graphData("histograms", 0).first, (QVector<double>{0.5, 1.5}));
        QVERIFY(std::abs(plots.graphData("histograms", 0).second[0] - 0.2) < 1e-12);
        QVERIFY(std::abs(plots.graphData("histograms", 0).second[1] - 0.3) < 1e-12);
        QCOMPARE(plots.graphData("histograms", 3).second, (QVector<double>{0.5, 0.5}));
        plots.setShowSeeds(true);
        QCOMPARE(p->graphCount(), 3);
        QCOMPARE(plots.graphData("histograms", 1).second, (QVector<double>{0.3, 0.4}));
        plots.histograms()->setMode(HistogramView::OneChainOverIterations);
        QCOMPARE(p->graphCount(), 2);   // the first run's iterations 0 and 1
        QCOMPARE(plots.graphData("histograms", 0).second, (QVector<double>{0.0, 0.2}));
    }

    // The report's condition tables: mean, spread and number of seeds; conditions.csv beside the report.
    void reportTablesGiveMeanSpreadAndSeeds()
    {
        const QList<RunSummary> runs{seededRun(m_dir.filePath("t-a0"), 0, 7.5, 0.0), seededRun(m_dir.filePath("t-a1"), 1, 7.5, 2.0),
                                     seededRun(m_dir.filePath("t-b0"), 0, 1.5, 5.0)};
        const MetricsTable summary = conditionSummaryTable(runs);
        QCOMPARE(summary.rows.size(), 6);   // two conditions, iterations 0..2
        QCOMPARE(summary.rows[1].value(1), QStringLiteral("2"));
        QCOMPARE(summary.rows[1].value(3), QStringLiteral("11 ± 1.41421"));
        QCOMPARE(summary.rows[4].value(3), QStringLiteral("15"));
        const MetricsTable reusability = conditionReusabilityTable(runs);
        QCOMPARE(reusability.rows.size(), 2);
        QCOMPARE(reusability.rows[0].mid(1, 5), (QStringList{"2", "2", "11 ± 1.41421", "10", "0"}));
        const MetricsTable statistics = conditionStatisticsTable(runs);
        QCOMPARE(statistics.rows[0].mid(1, 6), (QStringList{"0 1", "0", "features.fd", "2", "1", "1.41421"}));
        QVERIFY(std::abs(statistics.rows[0][8].toDouble() - (1.0 + kT975df1)) < 1e-4);
        QString error;
        QVERIFY2(exportReport(runs, m_dir.filePath("report"), &error), qPrintable(error));
        QFile csv(m_dir.filePath("report/conditions.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QVERIFY(csv.readLine().startsWith("condition,seeds,iteration,metric,n,mean,sd,ci_low,ci_high"));
        QFile html(m_dir.filePath("report/report.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("11 ± 1.41421"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"
