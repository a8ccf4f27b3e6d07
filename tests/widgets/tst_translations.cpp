// The shipped languages: switching to each puts its strings in the main window.
#include "app/studio/MainWindow.h"
#include "app/studio/Translations.h"

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

    void unknownLanguagesStayEnglish()
    {
        QVERIFY(!installTranslations(QStringLiteral("en")));
        QVERIFY(!installTranslations(QStringLiteral("tlh")));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
