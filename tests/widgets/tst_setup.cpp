// Chain setup, the CFG schedule editor and the queue: control points give the exact schedule values (also when
// dragged with the mouse), undo restores them, fields in error are marked, and a chain queued from the
// studio runs in a worker thread to completion while the GUI thread stays responsive.
#include "app/studio/ChainQueue.h"
#include "app/studio/ChainSetupPanel.h"
#include "core/chain/ChainConfig.h"
#include "app/studio/MainWindow.h"
#include "core/io/RunReader.h"
#include "widgets/CfgScheduleEditor.h"
#include "widgets/RunListModel.h"
#include "tests/TimingAllowance.h"

#include <qcustomplot.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace redifine;

namespace {

// A throwaway base model in dir/m0 keeps the chains short; the chain's logic does not depend on its quality.
bool makeBaseModel(const QTemporaryDir &dir)
{
    const QString data = dir.filePath("data");
    return QProcess::execute(QStringLiteral(REDIFINE_CLI), {"dataset", "emoji", "--out", data, "--group", "food-drink", "--limit", "4"}) == 0
           && QProcess::execute(QStringLiteral(REDIFINE_CLI),
                                {"pretrain", "--data", data, "--out", dir.filePath("m0"), "--vae-steps", "1", "--steps", "1", "--batch", "4"})
                  == 0;
}

} // namespace

class TestSetup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void controlPointsGiveExactScheduleValues()
    {
        CfgScheduleEditor editor;
        editor.setSchedule(CfgSchedule::linear(8.0, 2.0));
        editor.editPoints();
        QCOMPARE(editor.schedule().kind(), CfgSchedule::Kind::Piecewise);
        QCOMPARE(int(editor.schedule().points().size()), 6);
        // Moving point 2 (progress 0.4) to scale 1.0: s(0.4) = 1, and halfway to point 3 (0.6, 4.4) it is 2.7.
        editor.movePoint(2, 0.4, 1.0);
        QCOMPARE(editor.schedule().scaleAtProgress(0.4), 1.0);
        QVERIFY(std::abs(editor.schedule().scaleAtProgress(0.5) - 2.7) < 1e-12);
        QCOMPARE(editor.schedule().scaleAt(12, 30), 1.0);   // t / T = 0.4
        // A point stops at its neighbours and scales stay >= 0.
        editor.movePoint(2, 0.9, -3.0);
        QCOMPARE(editor.schedule().points()[2].progress, 0.6);
        QCOMPARE(editor.schedule().points()[2].scale, 0.0);
        // Undo walks back through the edits.
        editor.undoStack()->undo();
        QCOMPARE(editor.schedule().scaleAtProgress(0.4), 1.0);
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QCOMPARE(editor.schedule(), CfgSchedule::linear(8.0, 2.0));
    }

    void draggingAPointWithTheMouse()
    {
        CfgScheduleEditor editor;
        editor.resize(500, 400);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setSchedule(CfgSchedule::constant(5.0));
        editor.editPoints();
        QCustomPlot *plot = editor.plot();
        const QPoint from = editor.pointPosition(0);
        const QPoint to(from.x(), int(plot->yAxis->coordToPixel(2.0)));
        QTest::mousePress(plot, Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), plot->mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, to);
        // One pixel is a fraction of a scale unit: the dragged point lands within a pixel of 2.0.
        const double pixel = std::abs(plot->yAxis->pixelToCoord(0) - plot->yAxis->pixelToCoord(1));
        QVERIFY2(std::abs(editor.schedule().scaleAtProgress(0.0) - 2.0) <= pixel, qPrintable(QString::number(editor.schedule().scaleAtProgress(0.0))));
        QCOMPARE(editor.schedule().scaleAtProgress(1.0), 5.0);
        editor.undoStack()->undo();
        QCOMPARE(editor.schedule().scaleAtProgress(0.0), 5.0);
        editor.pinCurrent();
        QCOMPARE(editor.pinnedCount(), 1);
    }

    void fieldInErrorIsMarked()
    {
        ChainSetupPanel panel;
        QVERIFY(panel.validate().isEmpty());
        panel.setField(QStringLiteral("finetune.condition_drop"), 1.5);
        const QString error = panel.validate();
        QVERIFY2(error.startsWith(QStringLiteral("finetune.condition_drop")), qPrintable(error));
        QVERIFY(panel.fieldWidget(QStringLiteral("finetune.condition_drop"))->styleSheet().contains(QStringLiteral("border")));
        QCOMPARE(panel.fieldWidget(QStringLiteral("finetune.condition_drop"))->toolTip(), error);
        panel.setField(QStringLiteral("finetune.condition_drop"), 0.2);
        QVERIFY(panel.validate().isEmpty());
        QVERIFY(panel.fieldWidget(QStringLiteral("finetune.condition_drop"))->styleSheet().isEmpty());
        panel.loadPreset(QStringLiteral("cfg-2.5-quick"));
        QCOMPARE(panel.config().value("sampler").toObject().value("cfg").toObject().value("scale").toDouble(), 2.5);

        // sd15 asks for the user's checkpoint, and a resolution the UNet can take.
        panel.setField(QStringLiteral("model.family"), QStringLiteral("sd15"));
        QVERIFY(panel.validate().startsWith(QStringLiteral("model.path")));
        QVERIFY(panel.fieldWidget(QStringLiteral("model.path"))->styleSheet().contains(QStringLiteral("border")));
        panel.setField(QStringLiteral("model.path"), QStringLiteral("/models/v1-5-pruned-emaonly.safetensors"));
        QVERIFY(panel.validate().isEmpty());
        QCOMPARE(panel.config().value("model").toObject().value("resolution").toInt(), 512);
        panel.setField(QStringLiteral("model.resolution"), 500);
        QVERIFY(panel.validate().startsWith(QStringLiteral("model.resolution")));
        // Back to tiny and to sd15 again: the sd15 size the user typed comes back.
        panel.setField(QStringLiteral("model.resolution"), 768);
        panel.setField(QStringLiteral("model.family"), QStringLiteral("tiny"));
        QCOMPARE(panel.config().value("model").toObject().value("resolution").toInt(), 64);
        panel.setField(QStringLiteral("model.family"), QStringLiteral("sd15"));
        QCOMPARE(panel.config().value("model").toObject().value("resolution").toInt(), 768);

        // LoCon is off until a rank is chosen; the rank reaches the chain, with kohya's default alpha.
        QCOMPARE(ChainConfig::fromJson(panel.config()).convRank, 0);
        panel.setField(QStringLiteral("finetune.conv_rank"), 16);
        QVERIFY(panel.validate().isEmpty());
        QCOMPARE(ChainConfig::fromJson(panel.config()).convRank, 16);
        QCOMPARE(ChainConfig::fromJson(panel.config()).convAlpha, 1.0);

        // The CPU's matrix products: fp32 unless chosen, and the choice reaches the chain's config.
        QCOMPARE(panel.config().value("cpu_matmuls").toString(), QStringLiteral("fp32"));
        panel.setField(QStringLiteral("cpu_matmuls"), QStringLiteral("bf16"));
        QCOMPARE(panel.config().value("cpu_matmuls").toString(), QStringLiteral("bf16"));
        // Its explanation survives validation; a loaded value that is not a choice is shown and marked (not
        // replaced by the previous choice), and the explanation comes back once the value is fixed.
        QWidget *matmuls = panel.fieldWidget(QStringLiteral("cpu_matmuls"));
        const QString explanation = matmuls->toolTip();
        QVERIFY2(explanation.contains(QStringLiteral("AVX-512 BF16")), qPrintable(explanation));
        QJsonObject loaded = panel.config();
        loaded.insert(QStringLiteral("cpu_matmuls"), QStringLiteral("BF16"));
        panel.setConfig(loaded);
        QCOMPARE(panel.config().value("cpu_matmuls").toString(), QStringLiteral("BF16"));
        QVERIFY2(panel.validate().startsWith(QStringLiteral("cpu_matmuls: ")), qPrintable(panel.validate()));
        QVERIFY2(matmuls->toolTip().startsWith(QStringLiteral("cpu_matmuls: ")), qPrintable(matmuls->toolTip()));
        panel.setField(QStringLiteral("cpu_matmuls"), QStringLiteral("fp32"));
        QCOMPARE(panel.validate(), QString());
        QCOMPARE(matmuls->toolTip(), explanation);
    }

    void queuedChainRunsWhileTheWindowStaysResponsive()
    {
        QTemporaryDir dir;
        QVERIFY(makeBaseModel(dir));
        MainWindow window;
        window.setRunsFolder(dir.filePath("runs"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ChainSetupPanel *setup = window.setup();
        QJsonObject config = setup->config();
        config["model"] = QJsonObject{{"family", "tiny"}, {"path", dir.filePath("m0/tiny-base.safetensors")}};
        config["iterations"] = 2;
        config["dataset"] = QJsonObject{{"emoji_group", "food-drink"}, {"limit", 4}, {"path", ""}, {"noise", 0.0}};
        config["finetune"] = QJsonObject{{"max_steps", 6}, {"condition_drop", 0.2}};
        config["sampler"] = QJsonObject{{"steps", 6}, {"batch_size", 2}, {"cfg", QJsonObject{{"type", "constant"}, {"scale", 7.5}}}};
        GuiLatencyProbe probe;
        probe.start();
        const QString run = window.queueChain(config);
        QTRY_VERIFY_WITH_TIMEOUT(window.queue()->state(0) != ChainQueue::Waiting, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(window.queue()->state(0) == ChainQueue::Done || window.queue()->state(0) == ChainQueue::Failed, 240000);
        probe.stop();
        QVERIFY2(window.queue()->state(0) == ChainQueue::Done, qPrintable(window.queue()->statusText(0)));
        QVERIFY(readRunSummary(run).isComplete());
        // The run appears in the run browser, complete.
        QTRY_VERIFY_WITH_TIMEOUT(window.runs()->rowCount() == 1, 5000);
        qInfo("longest GUI-thread stall while the chain ran: %.1f ms", probe.maxBlockedMs());
        // Work done on the GUI thread by mistake stalls it for seconds; 50 ms leaves room for drawing.
        QVERIFY2(probe.maxBlockedMs() < 50.0 * kTimingAllowance, qPrintable(QString::number(probe.maxBlockedMs())));
    }

    void cancelStopsAndResumeFinishes()
    {
        QTemporaryDir dir;
        QVERIFY(makeBaseModel(dir));
        ChainQueue queue;
        ChainSetupPanel setup;
        QJsonObject config = setup.config();
        config["model"] = QJsonObject{{"family", "tiny"}, {"path", dir.filePath("m0/tiny-base.safetensors")}};
        config["iterations"] = 2;
        config["dataset"] = QJsonObject{{"emoji_group", "food-drink"}, {"limit", 4}, {"path", ""}, {"noise", 0.0}};
        config["finetune"] = QJsonObject{{"max_steps", 60}, {"condition_drop", 0.2}};
        config["sampler"] = QJsonObject{{"steps", 4}, {"batch_size", 2}, {"cfg", QJsonObject{{"type", "constant"}, {"scale", 7.5}}}};
        const QString run = dir.filePath("runs/cancelled");
        queue.enqueue(config, run);
        QTRY_VERIFY_WITH_TIMEOUT(queue.statusText(0).contains(QStringLiteral("finetune")), 60000);
        queue.cancel(0);
        // The runner checks the flag between steps (a second at most when the machine is idle; the CLI test
        // asserts that); with the rest of the suite running in parallel it can take a few seconds more.
        QTRY_COMPARE_WITH_TIMEOUT(queue.state(0), ChainQueue::Cancelled, 15000);
        QVERIFY(!readRunSummary(run).isComplete());
        queue.resume(0);
        QTRY_COMPARE_WITH_TIMEOUT(queue.state(0), ChainQueue::Done, 240000);
        QVERIFY(readRunSummary(run).isComplete());
    }
};

QTEST_MAIN(TestSetup)
#include "tst_setup.moc"
