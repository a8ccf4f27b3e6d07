#include "app/studio/MainWindow.h"

#include "core/runtime/RuntimeInfo.h"
#include "widgets/CfgSchedulePlot.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace redifine {

namespace {

QLabel *placeholder(const QString &text)
{
    auto *label = new QLabel(text);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setEnabled(false);
    return label;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("ReDiFine Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(placeholder(tr("Image grid\n\nStart a chain or open a run folder: prompts become rows and "
                                    "iterations columns as images arrive.")));
    createDocks();
    createMenus();

    const RuntimeInfo info = runtimeInfo();
    statusBar()->showMessage(tr("LibTorch %1 on %2, %3 threads").arg(info.torchVersion, info.device).arg(info.threads));
    resize(1280, 800);
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &objectName, QWidget *content,
                                 Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createDocks()
{
    auto *runs = new QListWidget;
    runs->setObjectName(QStringLiteral("runsList"));
    m_runsDock = addDock(tr("Runs"), QStringLiteral("runsDock"), runs, Qt::LeftDockWidgetArea);

    // The chain setup starts with the comparison at the heart of the paper: constant CFG 7.5 against
    // ReDiFine's exponentially decaying schedule.
    m_schedulePlot = new CfgSchedulePlot;
    m_schedulePlot->setSteps(30);
    m_schedulePlot->setSchedules({{tr("constant 7.5"), CfgSchedule::constant(7.5)},
                                  {tr("ReDiFine: 7.5 exp(-2 t/T)"), CfgSchedule::exponential(7.5, 2.0)}});
    m_setupDock = addDock(tr("Chain setup"), QStringLiteral("setupDock"), m_schedulePlot, Qt::RightDockWidgetArea);

    auto *queue = new QListWidget;
    queue->setObjectName(QStringLiteral("queueList"));
    m_queueDock = addDock(tr("Queue"), QStringLiteral("queueDock"), queue, Qt::LeftDockWidgetArea);

    auto *plots = new QTabWidget;
    plots->setObjectName(QStringLiteral("plotTabs"));
    plots->addTab(placeholder(tr("Metrics, latent histograms, Diff-norm curves and spectra appear here as "
                                 "iterations complete.")),
                  tr("Metrics"));
    m_plotsDock = addDock(tr("Plots"), QStringLiteral("plotsDock"), plots, Qt::BottomDockWidgetArea);
    resizeDocks({m_setupDock}, {420}, Qt::Horizontal);
    resizeDocks({m_plotsDock}, {220}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : {m_runsDock, m_setupDock, m_queueDock, m_plotsDock})
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ReDiFine Studio"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ReDiFine Studio"),
                       tr("<b>ReDiFine Studio</b><br>Run and analyse Chains of Diffusion.<pre>%1</pre>")
                           .arg(describe(runtimeInfo()).toHtmlEscaped()));
}

} // namespace redifine
