#include "app/studio/MainWindow.h"
#include "app/studio/ChainSetupPanel.h"
#include "app/studio/WelcomePanel.h"
#include "widgets/CfgScheduleEditor.h"
#include "widgets/ImageGridModel.h"
#include "widgets/ImageGridView.h"
#include "widgets/RunListModel.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>
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
    void emptyFolderShowsTheWaysIn();
    void anotherFolderClearsTheViewsOfTheFolderLeft();
    void missingFolderIsSaidAndTheDefaultOffered();
    void tinyFamilyShowsItsOwnResolution();
};

namespace {

QStringList visibleButtons(const QWidget *panel)
{
    QStringList texts;
    for (const QPushButton *button : panel->findChildren<QPushButton *>())
        if (button->isVisibleTo(panel))
            texts << button->text();
    return texts;
}

QString shownText(const QWidget *panel)
{
    QString text;
    for (const QLabel *label : panel->findChildren<QLabel *>())
        text += label->text() + QLatin1Char('\n');
    return text;
}

} // namespace

void TestMainWindow::emptyFolderShowsTheWaysIn()
{
    QTemporaryDir runs;
    redifine::MainWindow window;
    window.setRunsFolder(runs.path());
    QCOMPARE(window.central()->currentWidget(), static_cast<QWidget *>(window.welcome()));
    QVERIFY(!window.welcome()->isShowingMissingFolder());
    const QStringList buttons = visibleButtons(window.welcome());
    QCOMPARE(buttons.size(), 3);
    QVERIFY2(buttons.contains(QStringLiteral("Run the quick demo chain")) && buttons.contains(QStringLiteral("Set up a chain…"))
                 && buttons.contains(QStringLiteral("Open a runs folder…")),
             qPrintable(buttons.join(QLatin1Char('|'))));
    QVERIFY(shownText(window.welcome()).contains(QDir::toNativeSeparators(runs.path())));
    // A run appearing in the folder (here: written by hand, as the CLI would) replaces the panel by the grid.
    QVERIFY(QDir().mkpath(runs.filePath(QStringLiteral("r1/iter_0"))));
    QFile chain(runs.filePath(QStringLiteral("r1/chain.json")));
    QVERIFY(chain.open(QIODevice::WriteOnly));
    chain.write(R"({"config": {"name": "r1", "iterations": 1}})");
    chain.close();
    window.runs()->refresh();
    QTRY_COMPARE(window.central()->currentWidget(), static_cast<QWidget *>(window.grid()));
}

// The views follow the runs folder: after opening an empty folder, nothing of the folder left is still shown as
// if selected (the grid and the status bar went on showing its run).
void TestMainWindow::anotherFolderClearsTheViewsOfTheFolderLeft()
{
    QTemporaryDir first, second;
    QVERIFY(QDir().mkpath(first.filePath(QStringLiteral("r1/iter_0"))));
    QFile chain(first.filePath(QStringLiteral("r1/chain.json")));
    QVERIFY(chain.open(QIODevice::WriteOnly));
    chain.write(R"({"config": {"name": "r1", "iterations": 1}})");
    chain.close();
    redifine::MainWindow window;
    window.setRunsFolder(first.path());
    QTRY_VERIFY(window.statusBar()->currentMessage().startsWith(QStringLiteral("r1: ")));
    QVERIFY(window.grid()->model()->columnCount() > 0);
    window.setRunsFolder(second.path());
    QTRY_VERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("LibTorch ")), qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(window.grid()->model()->columnCount(), 0);
    QCOMPARE(window.central()->currentWidget(), static_cast<QWidget *>(window.welcome()));
}

void TestMainWindow::missingFolderIsSaidAndTheDefaultOffered()
{
    redifine::MainWindow window;
    const QString missing = QStringLiteral("/nonexistent/redifine-runs");
    window.setRunsFolder(missing);
    QCOMPARE(window.central()->currentWidget(), static_cast<QWidget *>(window.welcome()));
    QVERIFY(window.welcome()->isShowingMissingFolder());
    QVERIFY2(shownText(window.welcome()).contains(missing + QStringLiteral(" does not exist")), qPrintable(shownText(window.welcome())));
    QVERIFY(window.runsDock()->windowTitle().endsWith(QStringLiteral("(missing)")));
    QPushButton *useDefault = nullptr;
    for (QPushButton *button : window.welcome()->findChildren<QPushButton *>())
        if (button->text() == QStringLiteral("Use the default folder"))
            useDefault = button;
    QVERIFY(useDefault && useDefault->isVisibleTo(window.welcome()));
    useDefault->click();
    QVERIFY(window.runs()->root() != missing);
    QVERIFY(QFileInfo(window.runs()->root()).isDir());
    QVERIFY(!window.welcome()->isShowingMissingFolder());
}

void TestMainWindow::tinyFamilyShowsItsOwnResolution()
{
    redifine::MainWindow window;
    QComboBox *family = nullptr;
    for (QComboBox *box : window.setup()->findChildren<QComboBox *>())
        if (box->findText(QStringLiteral("sd15")) >= 0)
            family = box;
    QVERIFY(family);
    QSpinBox *resolution = nullptr;
    for (QSpinBox *box : window.setup()->findChildren<QSpinBox *>())
        if (box->singleStep() == 64)
            resolution = box;
    QVERIFY(resolution);
    family->setCurrentText(QStringLiteral("tiny"));
    QCOMPARE(resolution->value(), 64);
    QVERIFY(!resolution->isEnabled());
    family->setCurrentText(QStringLiteral("sd15"));
    QCOMPARE(resolution->value(), 512);
    QVERIFY(resolution->isEnabled());
}

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
