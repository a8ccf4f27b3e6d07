#include "app/studio/MainWindow.h"
#include "widgets/CfgSchedulePlot.h"

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
    redifine::MainWindow window;
    redifine::CfgSchedulePlot *plot = window.schedulePlot();
    QCOMPARE(plot->scheduleCount(), 2);
    const QVector<double> constant = plot->plottedValues(0);
    const QVector<double> exponential = plot->plottedValues(1);
    QCOMPARE(constant.size(), 30);
    QCOMPARE(exponential.size(), 30);
    for (int t = 0; t < 30; ++t) {
        QCOMPARE(constant.at(t), 7.5);
        QCOMPARE(exponential.at(t), 7.5 * std::exp(-2.0 * t / 30.0));
    }
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
