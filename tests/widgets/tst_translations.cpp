// The shipped languages: switching to each puts its strings in the main window, at start-up or live.
#include "SyntheticRun.h"
#include "app/studio/ChainQueue.h"
#include "app/studio/ChainSetupPanel.h"
#include "app/studio/MainWindow.h"
#include "app/studio/Translations.h"
#include "widgets/RunPlots.h"
#include "widgets/RunListModel.h"

#include <QApplication>
#include <QTableView>
#include <QTemporaryDir>

#include <QDockWidget>
#include <QMenuBar>
#include <QStandardPaths>
#include <QTest>

using namespace redifine;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void mainWindowSpeaksTheChosenLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("setupTitle");
        QTest::addColumn<QString>("fileMenu");
        QTest::addRow("German") << "de_DE" << QStringLiteral("Ketten-Einstellungen") << QStringLiteral("&Datei");
        QTest::addRow("Japanese") << "ja" << QStringLiteral("チェーンの設定") << QStringLiteral("ファイル(&F)");
        QTest::addRow("Simplified Chinese") << "zh_CN" << QStringLiteral("链设置") << QStringLiteral("文件(&F)");
    }
    void mainWindowSpeaksTheChosenLanguage()
    {
        QFETCH(QString, language);
        QFETCH(QString, setupTitle);
        QFETCH(QString, fileMenu);
        QVERIFY(installTranslations(language));
        MainWindow window;
        QCOMPARE(window.setupDock()->windowTitle(), setupTitle);
        QCOMPARE(window.menuBar()->actions().first()->text(), fileMenu);
    }

    // The View menu's switches rebuild the window in place: new language or palette, same runs folder,
    // selection, plot tab, iteration, chain setup values and the same queue object (a running chain survives).
    void languageAndThemeSwitchLiveKeepingTheState()
    {
        QTemporaryDir dir;
        writeSyntheticRun(dir.filePath(QStringLiteral("a")), 2, 3, 3, QJsonObject{{"type", "constant"}, {"scale", 7.5}});
        writeSyntheticRun(dir.filePath(QStringLiteral("b")), 2, 3, 3, QJsonObject{{"type", "constant"}, {"scale", 3.0}});
        installTranslations(QStringLiteral("en"));
        MainWindow window;
        window.setRunsFolder(dir.path());
        window.selectRuns({QStringLiteral("b")});
        window.plots()->setCurrentIndex(3);
        window.plots()->setIteration(2);
        window.setup()->setField(QStringLiteral("iterations"), 7);
        ChainQueue *queue = window.queue();
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));

        window.setLanguage(QStringLiteral("de"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
        QCOMPARE(window.setupDock()->windowTitle(), QStringLiteral("Ketten-Einstellungen"));
        QCOMPARE(window.runs()->headerData(RunListModel::Name, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Kette"));
        QCOMPARE(window.queue(), queue);
        QCOMPARE(window.queue()->parentWidget(), window.queueDock());
        QCOMPARE(window.selectedRuns().size(), 1);
        QCOMPARE(window.selectedRuns().first().name, QStringLiteral("b"));
        QCOMPARE(window.plots()->currentIndex(), 3);
        QCOMPARE(window.plots()->iteration(), 2);
        QCOMPARE(window.setup()->config().value(QStringLiteral("iterations")).toInt(), 7);

        const QColor lightWindow = QApplication::palette().color(QPalette::Window);
        window.setTheme(QStringLiteral("dark"));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
        QCOMPARE(window.selectedRuns().first().name, QStringLiteral("b"));
        window.setTheme(QStringLiteral("light"));
        QCOMPARE(QApplication::palette().color(QPalette::Window), lightWindow);

        window.setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QCOMPARE(window.queue(), queue);
    }

    void unknownLanguagesStayEnglish()
    {
        QVERIFY(!installTranslations(QStringLiteral("en")));
        QVERIFY(!installTranslations(QStringLiteral("tlh")));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
