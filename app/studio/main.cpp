#include "app/studio/MainWindow.h"
#include "app/studio/Translations.h"
#include "widgets/CfgScheduleEditor.h"
#include "widgets/FigureExport.h"
#include "widgets/RunPlots.h"

#include "core/common/DataPaths.h"
#include "core/runtime/RuntimeInfo.h"

#include "core/runtime/Allocator.h"
#include "core/runtime/BlasTuning.h"

#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QSettings>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    redifine::selectBlasKernelsOrReexec(argv);
    redifine::keepFreedMemoryForReuse();
    // --version needs no display: answer it before QApplication looks for one.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            redifine::configureThreads(0);
            std::printf("%s\n", qPrintable(redifine::describe(redifine::runtimeInfo())));
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("ReDiFine Studio"));
    QApplication::setOrganizationName(QStringLiteral("ReDiFine"));
    QApplication::setOrganizationDomain(QStringLiteral("redifine.studio"));
    QApplication::setDesktopFileName(QStringLiteral("studio.redifine.Studio"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("redifine-studio"),
                                                 QIcon(redifine::findResource(QStringLiteral("icons/redifine-studio.svg")))));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run and analyse Chains of Diffusion (ReDiFine)."));
    parser.addHelpOption();
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Print versions, device and threads."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save the main window as PNG to <file> and quit."),
                                        QStringLiteral("file"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Intra-op threads."),
                                     QStringLiteral("n"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Open <folder> of runs."), QStringLiteral("folder"));
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select runs by name (comma-separated; several compare)."),
                                    QStringLiteral("names"));
    const QCommandLineOption plotTab(QStringLiteral("plot"), QStringLiteral("Show plot tab <index>."), QStringLiteral("index"));
    const QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Write report.pdf, report.html and metrics.csv of the selected runs to <folder> and quit."),
                                    QStringLiteral("folder"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("User interface language: en, de, ja or zh_CN."),
                                      QStringLiteral("code"));
    const QCommandLineOption editorShot(QStringLiteral("screenshot-editor"),
                                        QStringLiteral("Save the CFG schedule editor (the paper's schedules, one edited by points) as PNG to <file> and quit."),
                                        QStringLiteral("file"));
    const QCommandLineOption gridExport(QStringLiteral("export-grid"), QStringLiteral("Write the grid of the selected runs to <file> (.png or .pdf) and quit."),
                                        QStringLiteral("file"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("Palette: light or dark."), QStringLiteral("name"));
    parser.addOptions({version, screenshot, threads, runs, select, plotTab, report, language, editorShot, gridExport, theme});
    parser.addPositionalArgument(QStringLiteral("folders"),
                                 QStringLiteral("Folders to open as if dropped on the window: a run folder (opened and selected), a folder of runs, or a dataset folder (D_0 of the chain setup)."),
                                 QStringLiteral("[folder...]"));
    parser.process(app);
    redifine::applyTheme(parser.isSet(theme) ? parser.value(theme) : QSettings().value(QStringLiteral("theme")).toString());
    redifine::installTranslations(parser.isSet(language) ? parser.value(language)
                                                         : QSettings().value(QStringLiteral("language"), QLocale::system().name()).toString());

    try {
        redifine::configureThreads(parser.isSet(threads) ? parser.value(threads).toInt() : 0);
    } catch (const std::exception &error) {
        std::fprintf(stderr, "error: %s\n", error.what());
        return 2;
    }

    if (parser.isSet(editorShot)) {
        // The paper's comparison pinned (constant 7.5, ReDiFine 7.5 exp(-2 t/T)), then a schedule edited by hand.
        redifine::CfgScheduleEditor editor;
        editor.resize(640, 420);
        editor.setSchedule(redifine::CfgSchedule::constant(7.5));
        editor.pinCurrent();
        editor.setSchedule(redifine::CfgSchedule::exponential(7.5, 2.0));
        editor.pinCurrent();
        editor.editPoints();
        editor.movePoint(1, 0.2, 6.5);
        editor.movePoint(3, 0.6, 2.0);
        editor.show();
        QApplication::processEvents();
        return editor.grab().save(parser.value(editorShot)) ? 0 : 1;
    }
    redifine::MainWindow window;
    if (parser.isSet(runs))
        window.setRunsFolder(parser.value(runs));
    for (const QString &folder : parser.positionalArguments())   // (the desktop file's Exec %F)
        window.openDroppedPath(QFileInfo(folder).absoluteFilePath());
    if (parser.isSet(select))
        window.selectRuns(parser.value(select).split(QLatin1Char(',')));
    if (parser.isSet(plotTab))
        window.plots()->setCurrentIndex(parser.value(plotTab).toInt());
    if (parser.isSet(gridExport)) {
        QString error;
        if (!redifine::exportGrid(window.selectedRuns(), parser.value(gridExport), &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
            return 2;
        }
        return 0;
    }
    if (parser.isSet(report)) {
        QString error;
        if (!redifine::exportReport(window.selectedRuns(), parser.value(report), &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error.isEmpty() ? QStringLiteral("select runs with --runs and --select") : error));
            return 2;
        }
        return 0;
    }
    window.show();
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(1500, &window, [&window, path] {
            const bool saved = window.grab().save(path);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return app.exec();
}
