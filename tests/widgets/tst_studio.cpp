// The studio's views over run stores written by hand: the right image in the right cell, plots with the
// metrics on disk, damaged runs shown as such, live updates, comparison and the CFG-sweep view.
#include "SyntheticRun.h"

#include "app/studio/ChainSetupPanel.h"
#include "app/studio/MainWindow.h"
#include "widgets/ImageGridModel.h"
#include "widgets/ImageGridView.h"
#include "widgets/RunListModel.h"
#include "widgets/RunPlots.h"
#include "widgets/ThumbnailCache.h"

#include <QDialog>
#include <QJsonArray>
#include <qcustomplot.h>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

namespace {

QJsonObject constantCfg(double scale)
{
    return QJsonObject{{"type", "constant"}, {"scale", scale}};
}

} // namespace

class TestStudio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
    }

    void gridShowsTheRightImageInTheRightCell()
    {
        const QString run = m_dir.filePath("grid");
        writeSyntheticRun(run, 3, 2, 2, constantCfg(7.5));
        ThumbnailCache cache;
        ImageGridModel model(&cache);
        model.setRuns({readRunSummary(run)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 3);
        for (int p = 0; p < 3; ++p)
            for (int k = 0; k <= 2; ++k) {
                const QModelIndex index = model.index(p, k);
                QCOMPARE(index.data(ImageGridModel::ImagePathRole).toString(), run + QStringLiteral("/iter_%1/images/%2.png").arg(k).arg(p, 4, 10, QLatin1Char('0')));
                QCOMPARE(index.data(ImageGridModel::PromptRole).toString(), QStringLiteral("prompt %1").arg(p));
                index.data(Qt::DecorationRole);   // asks for the thumbnail
            }
        // Thumbnails load off the GUI thread and then arrive in their cells with the image's colour.
        QTRY_VERIFY(!model.index(2, 2).data(Qt::DecorationRole).value<QPixmap>().isNull()
                    && model.index(2, 2).data(Qt::DecorationRole).value<QPixmap>().toImage().pixelColor(8, 8) == cellColour(2, 2));
        for (int p = 0; p < 3; ++p)
            for (int k = 0; k <= 2; ++k)
                QTRY_COMPARE(model.index(p, k).data(Qt::DecorationRole).value<QPixmap>().toImage().pixelColor(4, 4), cellColour(p, k));
    }

    // Clicking an iteration (grid column) reaches every per-iteration plot: a marker line in the metrics,
    // the bold curve in the Diff-norm plot, the colour maps' iteration.
    void iterationSelectionReachesThePlots()
    {
        const QString run = m_dir.filePath("linked");
        writeSyntheticRun(run, 2, 3, 3, constantCfg(7.5));
        for (int k = 0; k <= 3; ++k)
            writeJson(run + QStringLiteral("/iter_%1/metrics.json").arg(k),
                      QJsonObject{{"iteration", k}, {"features", QJsonObject{{"fd", 10.0 * k}}},
                                  {"diffnorm_mean_per_step", QJsonArray{1.0 * k, 2.0 * k}}});
        RunPlots plots;
        plots.setRuns({readRunSummary(run)});
        plots.setIteration(2);
        const QCustomPlot *metrics = plots.plot(QStringLiteral("metrics"));
        QCOMPARE(metrics->itemCount(), 1);
        QCOMPARE(metrics->item(0)->objectName(), QStringLiteral("selectedIteration"));
        QCOMPARE(qobject_cast<QCPItemStraightLine *>(metrics->item(0))->point1->coords().x(), 2.0);
        const QCustomPlot *diffnorm = plots.plot(QStringLiteral("diffnorm"));
        QCOMPARE(diffnorm->graphCount(), 4);
        for (int k = 0; k <= 3; ++k) {
            QCOMPARE(plots.graphData(QStringLiteral("diffnorm"), k).second.value(1), 2.0 * k);
            QCOMPARE(diffnorm->graph(k)->pen().widthF() == RunPlots::selectedCurveWidth, k == 2);
        }
        QCOMPARE(diffnorm->graph(2)->layer()->name(), QStringLiteral("selected"));
        plots.setIteration(0);
        QCOMPARE(qobject_cast<QCPItemStraightLine *>(plots.plot(QStringLiteral("metrics"))->item(0))->point1->coords().x(), 0.0);
        QCOMPARE(plots.plot(QStringLiteral("diffnorm"))->graph(0)->pen().widthF(), RunPlots::selectedCurveWidth);
    }

    void damagedRunsShowWhatIsThere()
    {
        const QString run = m_dir.filePath("damaged");
        writeSyntheticRun(run, 2, 3, 2, constantCfg(7.5));
        QFile::remove(run + "/iter_1/images/0001.png");                  // a missing image of a done iteration
        QFile truncated(run + "/iter_2/images/0000.png");                 // a truncated image
        QVERIFY(truncated.open(QIODevice::ReadWrite));
        truncated.resize(20);
        truncated.close();
        QFile::remove(run + "/iter_2/metrics.json");                      // done, but no metrics
        const RunSummary summary = readRunSummary(run);
        QVERIFY(RunListModel::statusText(summary).startsWith("damaged"));
        QCOMPARE(summary.problems.size(), 2);
        ThumbnailCache cache;
        ImageGridModel model(&cache);
        model.setRuns({summary});
        QCOMPARE(model.cellState(1, 1), ImageGridModel::Missing);
        QCOMPARE(model.cellState(0, 3), ImageGridModel::Waiting);         // iteration 3 is still to come
        model.index(0, 2).data(Qt::DecorationRole);
        QTRY_COMPARE(model.cellState(0, 2), ImageGridModel::Missing);     // unreadable once tried
        // A folder with a broken chain.json is listed as not a run, and nothing throws.
        QDir().mkpath(m_dir.filePath("broken"));
        writeJson(m_dir.filePath("broken/chain.json"), QJsonObject{});
        QVERIFY(!readRunSummary(m_dir.filePath("broken")).isRunFolder());
        RunPlots plots;
        plots.setRuns({summary, readRunSummary(m_dir.filePath("broken"))});
    }

    void plotsShowTheMetricsOnDisk()
    {
        const QString a = m_dir.filePath("plots-a"), b = m_dir.filePath("plots-b");
        writeSyntheticRun(a, 2, 3, 3, constantCfg(1.0), 0.5);
        writeSyntheticRun(b, 2, 3, 2, constantCfg(7.5), 2.0);
        RunPlots plots;
        plots.setRuns({readRunSummary(a), readRunSummary(b)});
        plots.setMetric("features.fd");
        const auto [x, y] = plots.graphData("metrics", 0);
        QCOMPARE(x, (QVector<double>{0, 1, 2, 3}));
        QCOMPARE(y, (QVector<double>{0.5, 10.5, 20.5, 30.5}));
        QCOMPARE(plots.graphData("metrics", 1).second, (QVector<double>{2.0, 12.0, 22.0}));
        // Reusability FD_K - FD_1 against FD_1: (10.5, 20) for a (K = 3), (12, 10) for b (K = 2).
        QCOMPARE(plots.graphData("reusability", 0).first, QVector<double>{10.5});
        QCOMPARE(plots.graphData("reusability", 0).second, QVector<double>{20.0});
        QCOMPARE(plots.graphData("reusability", 1).second, QVector<double>{10.0});
    }

    void runListFollowsTheFolderLive()
    {
        const QString root = m_dir.filePath("live");
        QDir().mkpath(root);
        RunListModel model;
        model.setRoot(root);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy changed(&model, &RunListModel::runChanged);
        writeSyntheticRun(root + "/chain-a", 2, 2, 0, constantCfg(2.5));
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
        QCOMPARE(model.index(0, RunListModel::Status).data().toString(), QStringLiteral("0/2 iterations"));
        QCOMPARE(model.index(0, RunListModel::Settings).data().toString(), QStringLiteral("CFG 2.5, p = 0"));
        writeSyntheticRun(root + "/chain-a", 2, 2, 2, constantCfg(2.5));   // two more iterations complete
        QTRY_COMPARE_WITH_TIMEOUT(model.index(0, RunListModel::Status).data().toString(), QStringLiteral("complete"), 5000);
        QVERIFY(changed.count() >= 2);
        // Schedules other than constant are named as the study names them, piecewise ones with their points.
        writeSyntheticRun(root + "/chain-b", 2, 2, 0,
                          QJsonObject{{"type", "piecewise"}, {"points", QJsonArray{QJsonArray{0, 7.5}, QJsonArray{1, 1}}}});
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
        QCOMPARE(model.index(1, RunListModel::Settings).data().toString(), QStringLiteral("CFG piecewise 7.5@0 1@1, p = 0"));
    }

    // A poll re-reads only the runs whose stamp changed: none when nothing happened, the one that gained an
    // image in its newest iteration, or whose iteration completed.
    void pollsReadOnlyChangedRuns()
    {
        const QString root = m_dir.filePath("stamps");
        for (const char *name : {"a", "b", "c"})
            writeSyntheticRun(root + "/" + name, 2, 3, 1, constantCfg(7.5));
        RunListModel model;
        model.setRoot(root);
        QCOMPARE(model.lastRefreshReads(), 3);
        model.refresh();
        QCOMPARE(model.lastRefreshReads(), 0);

        // Images arriving in b's running iteration 2: its folder appears, then a second image.
        QImage image(16, 16, QImage::Format_RGB888);
        image.fill(Qt::red);
        for (const int count : {1, 2}) {
            QTest::qWait(20);   // file times are compared to the millisecond
            QVERIFY(QDir().mkpath(root + "/b/iter_2/images"));
            QVERIFY(image.save(root + QStringLiteral("/b/iter_2/images/%1.png").arg(count - 1, 4, 10, QLatin1Char('0'))));
            model.refresh();
            QCOMPARE(model.lastRefreshReads(), 1);
            QCOMPARE(model.run(model.rowOf(root + "/b")).iterationRecords.value(2).imageCount, count);
        }

        QTest::qWait(20);
        writeSyntheticRun(root + "/c", 2, 3, 2, constantCfg(7.5));   // iteration 2 of c completes
        model.refresh();
        QCOMPARE(model.lastRefreshReads(), 1);
        QCOMPARE(model.run(model.rowOf(root + "/c")).completedIterations(), 3);
        QCOMPARE(model.run(model.rowOf(root + "/a")).completedIterations(), 2);
    }

    void comparisonAndCfgSweepView()
    {
        const QString root = m_dir.filePath("sweep");
        writeSyntheticRun(root + "/cfg-7.5", 2, 2, 2, constantCfg(7.5));
        writeSyntheticRun(root + "/cfg-1.0", 2, 2, 2, constantCfg(1.0));
        writeSyntheticRun(root + "/cfg-2.5", 2, 2, 2, constantCfg(2.5));
        writeSyntheticRun(root + "/redifine", 2, 2, 2, QJsonObject{{"type", "exponential"}, {"s0", 7.5}, {"alpha", 2.0}});
        MainWindow window;
        window.setRunsFolder(root);
        window.showCfgSweep();
        QStringList names;
        for (const RunSummary &run : window.selectedRuns())
            names << run.name;
        names.sort();
        QCOMPARE(names, (QStringList{"cfg-1.0", "cfg-2.5", "cfg-7.5"}));
        // Comparison: a row per run (in the grid's order), showing the chosen prompt in every row.
        ImageGridModel *grid = window.grid()->model();
        QCOMPARE(grid->rowCount(), 3);
        QVERIFY(grid->isComparison());
        QVERIFY(grid->index(0, 1).data(ImageGridModel::ImagePathRole).toString().endsWith("iter_1/images/0000.png"));
        grid->setComparisonPrompt(1);
        QVERIFY(grid->index(2, 2).data(ImageGridModel::ImagePathRole).toString().endsWith("iter_2/images/0001.png"));
    }

    void returnOpensTheCurrentImage()
    {
        const QString run = m_dir.filePath("keys");
        writeSyntheticRun(run, 2, 1, 1, constantCfg(7.5));
        ImageGridView view;
        view.setRuns({readRunSummary(run)});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.table()->setFocus();
        view.table()->setCurrentIndex(view.table()->model()->index(1, 1));
        QTest::keyClick(view.table(), Qt::Key_Return);
        QDialog *dialog = view.findChild<QDialog *>();
        QVERIFY(dialog);
        QVERIFY2(dialog->windowTitle().contains(QStringLiteral("prompt 1")), qPrintable(dialog->windowTitle()));
    }

    void droppedFoldersOpenRunsOrBecomeTheDataset()
    {
        const QString root = m_dir.filePath("drop-runs");
        writeSyntheticRun(root + "/dropped", 2, 1, 1, constantCfg(2.5));
        const QString dataset = m_dir.filePath("drop-dataset");
        QDir().mkpath(dataset);
        QImage(8, 8, QImage::Format_RGB888).save(dataset + "/a.png");
        MainWindow window;
        const auto drop = [&](const QString &path) { window.openDroppedPath(path); };
        drop(root + "/dropped");   // a run folder: its parent opens and the run is selected
        QCOMPARE(window.runs()->root(), root);
        QCOMPARE(window.selectedRuns().size(), 1);
        drop(dataset);             // a folder of images: D_0 of the chain setup
        QCOMPARE(window.setup()->config().value("dataset").toObject().value("path").toString(), dataset);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
