#include "app/studio/MainWindow.h"
#include "app/studio/ChainSetupPanel.h"
#include "widgets/CfgScheduleEditor.h"

#include <QDockWidget>
#include <QStandardPaths>
#include <QTest>

#include <cmath>

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void docksAreInPlace();
    void schedulePlotShowsPaperSchedules();
    void rendersSomething();
};

void TestMainWindow::docksAreInPlace()
{
    redifine::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.dockWidgetArea(window.runsDock()), Qt::LeftDockWidgetArea);
    QCOMPARE(window.dockWidgetArea(window.queueDock()), Qt::LeftDockWidgetArea);
    QCOMPARE(window.dockWidgetArea(window.setupDock()), Qt::RightDockWidgetArea);
    QCOMPARE(window.dockWidgetArea(window.plotsDock()), Qt::BottomDockWidgetArea);
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        QVERIFY2(dock->isVisible() && !dock->objectName().isEmpty(), qPrintable(dock->windowTitle()));
}

void TestMainWindow::schedulePlotShowsPaperSchedules()
{
    // The setup opens on the quick ReDiFine preset: its exponential schedule s0 = 7.5, alpha = 2.
    redifine::MainWindow window;
    const redifine::CfgSchedule &schedule = window.setup()->scheduleEditor()->schedule();
    QCOMPARE(schedule, redifine::CfgSchedule::exponential(7.5, 2.0));
    for (int t = 0; t < 30; ++t)
        QCOMPARE(schedule.scaleAt(t, 30), 7.5 * std::exp(-2.0 * t / 30.0));
}

void TestMainWindow::rendersSomething()
{
    // A blank frame would be one colour; a real window has text, plot lines and dock frames.
    redifine::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
