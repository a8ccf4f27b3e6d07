#include "app/studio/MainWindow.h"

#include "core/runtime/BlasTuning.h"
#include "core/runtime/RuntimeInfo.h"
#include "app/studio/ChainQueue.h"
#include "app/studio/ChainSetupPanel.h"
#include "app/studio/Translations.h"
#include "app/studio/WelcomePanel.h"
#include "core/chain/Presets.h"
#include "widgets/FigureExport.h"
#include "widgets/ImageGridModel.h"
#include "widgets/ImageGridView.h"
#include "widgets/RunListModel.h"
#include "widgets/RunPlots.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>

#include <algorithm>

namespace redifine {

namespace {

QString defaultRunsFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("runs"));
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_queue(new ChainQueue)
    , m_runs(new RunListModel(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    m_updateTimer.setSingleShot(true);
    m_updateTimer.setInterval(200);
    connect(&m_updateTimer, &QTimer::timeout, this, &MainWindow::updateViews);
    connect(m_runs, &RunListModel::runChanged, this, &MainWindow::runChanged);
    connect(m_queue, &ChainQueue::iterationCompleted, m_runs, &RunListModel::refresh);
    connect(m_queue, &ChainQueue::chainFinished, m_runs, &RunListModel::refresh);
    for (const auto signal : {&RunListModel::rowsInserted, &RunListModel::rowsRemoved})
        connect(m_runs, signal, this, &MainWindow::updateWelcome);
    connect(m_runs, &RunListModel::modelReset, this, &MainWindow::updateWelcome);
    // A reset (another runs folder) drops the selection without selectionChanged: the views must follow, or they
    // keep showing runs of the folder that was left.
    connect(m_runs, &RunListModel::modelReset, this, &MainWindow::selectionChanged, Qt::QueuedConnection);
    buildInterface();
    resize(1400, 900);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    setRunsFolder(settings.value(QStringLiteral("runsFolder"), defaultRunsFolder()).toString());
}

// Everything with text or palette colours in it: built once, and again after a language or theme switch.
// The run list (a model) and the queue (with its running chain) are kept across rebuilds.
void MainWindow::buildInterface()
{
    setWindowTitle(tr("ReDiFine Studio"));
    m_grid = new ImageGridView;
    m_plots = new RunPlots;
    m_welcome = new WelcomePanel;
    m_central = new QStackedWidget;
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_grid);
    setCentralWidget(m_central);
    connect(m_welcome, &WelcomePanel::runDemoRequested, this,
            [this] { queueChain(presetConfig(QStringLiteral("redifine-quick"))); });
    connect(m_welcome, &WelcomePanel::openFolderRequested, this, &MainWindow::chooseRunsFolder);
    connect(m_welcome, &WelcomePanel::setUpChainRequested, this, [this] {
        m_setupDock->show();
        m_setupDock->raise();
        m_setup->setFocus();
    });
    connect(m_welcome, &WelcomePanel::useDefaultFolderRequested, this, [this] { setRunsFolder(defaultRunsFolder()); });
    setMenuBar(new QMenuBar);
    createDocks();
    createMenus();
    connect(m_grid, &ImageGridView::iterationSelected, m_plots, &RunPlots::setIteration);
    // A cell of a fingerprint or spectrum grid: that run and iteration in the image grid and every plot.
    connect(m_plots, &RunPlots::runIterationSelected, this, [this](int run, int iteration) {
        m_grid->selectRunIteration(run, iteration);
        m_plots->setIteration(iteration);
    });
    const RuntimeInfo info = runtimeInfo();
    const QString kernels = openBlasCoreName(), best = bestSupportedCoreName();
    if (kernelAdvice(kernels, best, true).isEmpty())
        m_runtimeMessage = tr("LibTorch %1 on %2, %3 threads").arg(info.torchVersion, info.device).arg(info.threads);
    else   // slower kernels than the CPU supports: every chain runs at up to half its speed, so say so where it is seen
        m_runtimeMessage = tr("LibTorch %1 on %2, %3 threads; OpenBLAS runs %4 kernels, this CPU supports %5 (set OPENBLAS_CORETYPE=%5)")
                               .arg(info.torchVersion, info.device)
                               .arg(info.threads)
                               .arg(kernels, best);
    statusBar()->showMessage(m_runtimeMessage);
}

void MainWindow::rebuildInterface()
{
    m_rebuildPending = false;
    QStringList selected;
    for (const RunSummary &run : selectedRuns())
        selected << QFileInfo(run.dir).fileName();
    const int plotTab = m_plots->currentIndex();
    const int iteration = m_plots->iteration();
    const int thumbnails = m_grid->model()->thumbnailSize();
    const QJsonObject setup = m_setup->config();
    const QByteArray layout = saveState();

    m_queue->setParent(nullptr);   // out of its dock before the docks go
    for (QDockWidget *dock : {m_runsDock, m_setupDock, m_queueDock, m_plotsDock}) {
        removeDockWidget(dock);
        delete dock;
    }
    buildInterface();

    restoreState(layout);
    m_setup->setConfig(setup);
    m_grid->setThumbnailSize(thumbnails);
    setRunsFolder(m_runs->root());
    selectRuns(selected);
    m_plots->setCurrentIndex(plotTab);
    m_plots->setIteration(iteration);
}

void MainWindow::setTheme(const QString &theme)
{
    QSettings().setValue(QStringLiteral("theme"), theme);
    applyTheme(theme);
    rebuildInterface();   // the plots take their colours from the palette when they are made
}

void MainWindow::setLanguage(const QString &language)
{
    QSettings().setValue(QStringLiteral("language"), language);
    installTranslations(language);   // sends QEvent::LanguageChange, which rebuilds (changeEvent)
}

void MainWindow::changeEvent(QEvent *event)
{
    // Installing a language sends one LanguageChange per translator (the studio's and Qt's): rebuild once.
    if (event->type() == QEvent::LanguageChange && m_setup && !m_rebuildPending) {
        m_rebuildPending = true;
        QTimer::singleShot(0, this, &MainWindow::rebuildInterface);
    }
    QMainWindow::changeEvent(event);
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addDock(const QString &title, const QString &objectName, QWidget *content, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createDocks()
{
    m_runTable = new QTableView;
    m_runTable->setObjectName(QStringLiteral("runsTable"));
    m_runTable->setModel(m_runs);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runTable->horizontalHeader()->setStretchLastSection(true);
    m_runTable->verticalHeader()->hide();
    m_runTable->setToolTip(tr("Select a run to browse it; select several (Ctrl or Shift) to compare them side by side."));
    connect(m_runTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
    m_runsDock = addDock(tr("Runs"), QStringLiteral("runsDock"), m_runTable, Qt::LeftDockWidgetArea);

    m_setup = new ChainSetupPanel;
    connect(m_setup, &ChainSetupPanel::queueRequested, this, &MainWindow::queueChain);
    m_setupDock = addDock(tr("Chain setup"), QStringLiteral("setupDock"), m_setup, Qt::RightDockWidgetArea);

    m_queueDock = addDock(tr("Queue"), QStringLiteral("queueDock"), m_queue, Qt::LeftDockWidgetArea);

    m_plotsDock = addDock(tr("Plots"), QStringLiteral("plotsDock"), m_plots, Qt::BottomDockWidgetArea);
    resizeDocks({m_runsDock, m_setupDock}, {420, 380}, Qt::Horizontal);
    resizeDocks({m_plotsDock}, {330}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Runs Folder…"), this, &MainWindow::chooseRunsFolder);
    open->setShortcut(QKeySequence::Open);
    QMenu *recent = file->addMenu(tr("Recent Runs Folders"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        for (const QString &folder : QSettings().value(QStringLiteral("recentRunsFolders")).toStringList())
            recent->addAction(folder, this, [this, folder] { setRunsFolder(folder); });
    });
    file->addSeparator();
    QAction *exportPlotAction = file->addAction(tr("Export &Plot…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), QString(), tr("Vector PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
        if (path.isEmpty())
            return;
        int dpi = 300;
        if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
            bool ok = false;
            dpi = QInputDialog::getInt(this, tr("Export plot"), tr("Resolution (dots per inch)"), 300, 72, 1200, 50, &ok);
            if (!ok)
                return;
        }
        QString error;
        if (!exportPlot(m_plots->plot(m_plots->currentPlotName()), path, dpi, &error))
            QMessageBox::warning(this, tr("Export plot"), error);
    });
    exportPlotAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &Grid…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export grid"), QString(), tr("PNG with labels (*.png);;Contact sheet PDF (*.pdf)"));
        QString error;
        if (!path.isEmpty() && !exportGrid(selectedRuns(), path, &error))
            QMessageBox::warning(this, tr("Export grid"), error);
    });
    QAction *report = file->addAction(tr("Export &Report…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for report.pdf, report.html and metrics.csv"));
        QString error;
        if (!dir.isEmpty() && !exportReport(selectedRuns(), dir, &error))
            QMessageBox::warning(this, tr("Export report"), error);
        else if (!dir.isEmpty())
            statusBar()->showMessage(tr("Report written to %1").arg(dir), 5000);
    });
    report->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    QAction *refresh = file->addAction(tr("&Refresh"), m_runs, &RunListModel::refresh);
    refresh->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *sweep = view->addAction(tr("Compare the &CFG Sweep (Figure 2b)"), this, &MainWindow::showCfgSweep);
    sweep->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    QAction *zoomIn = view->addAction(tr("Larger Thumbnails"), this, [this] { m_grid->setThumbnailSize(m_grid->model()->thumbnailSize() + 16); });
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction *zoomOut = view->addAction(tr("Smaller Thumbnails"), this, [this] { m_grid->setThumbnailSize(m_grid->model()->thumbnailSize() - 16); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    view->addSeparator();
    for (QDockWidget *dock : {m_runsDock, m_setupDock, m_queueDock, m_plotsDock})
        view->addAction(dock->toggleViewAction());

    view->addSeparator();
    QMenu *language = view->addMenu(tr("&Language"));
    auto *languages = new QActionGroup(language);
    const QString current = QSettings().value(QStringLiteral("language"), QLocale::system().name()).toString();
    for (const auto &[code, name] : {std::pair{QStringLiteral("en"), QStringLiteral("English")}, std::pair{QStringLiteral("de"), QStringLiteral("Deutsch")},
                                     std::pair{QStringLiteral("ja"), QStringLiteral("日本語")}, std::pair{QStringLiteral("zh_CN"), QStringLiteral("简体中文")}}) {
        QAction *action = language->addAction(name, this, [this, code = code] { setLanguage(code); });
        action->setCheckable(true);
        action->setChecked(code == current || (code != QLatin1String("en") && current.startsWith(code)));
        languages->addAction(action);
    }

    QMenu *themes = view->addMenu(tr("&Theme"));
    auto *themeGroup = new QActionGroup(themes);
    for (const auto &[code, name] : {std::pair{QStringLiteral("light"), tr("Light")}, std::pair{QStringLiteral("dark"), tr("Dark")}}) {
        // Queued: the rebuild deletes this menu, which must not happen inside its own trigger.
        QAction *action = themes->addAction(name, this, [this, code = code] {
            QMetaObject::invokeMethod(this, [this, code] { setTheme(code); }, Qt::QueuedConnection);
        });
        action->setCheckable(true);
        action->setChecked(code == QSettings().value(QStringLiteral("theme"), QStringLiteral("light")).toString());
        themeGroup->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ReDiFine Studio"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ReDiFine Studio"),
                       tr("<b>ReDiFine Studio</b><br>Run and analyse Chains of Diffusion.<br>Qt %1<pre>%2</pre>")
                           .arg(QString::fromLatin1(qVersion()), describe(runtimeInfo()).toHtmlEscaped()));
}

void MainWindow::setRunsFolder(const QString &root)
{
    if (root == defaultRunsFolder())
        QDir().mkpath(root);   // the default exists from the first start on; any other folder may have gone
    m_runs->setRoot(root);
    m_runsDock->setWindowTitle(QFileInfo(root).isDir() ? tr("Runs: %1").arg(QDir::toNativeSeparators(root))
                                                       : tr("Runs: %1 (missing)").arg(QDir::toNativeSeparators(root)));
    updateWelcome();
    QSettings settings;
    settings.setValue(QStringLiteral("runsFolder"), root);
    QStringList recent = settings.value(QStringLiteral("recentRunsFolders")).toStringList();
    recent.removeAll(root);
    recent.prepend(root);
    settings.setValue(QStringLiteral("recentRunsFolders"), recent.mid(0, 8));
    m_runTable->resizeColumnsToContents();
    if (m_runs->rowCount() > 0 && !m_runTable->selectionModel()->hasSelection())
        m_runTable->selectRow(0);
}

// The grid once there are runs; before that, or when the folder has gone, the ways in.
void MainWindow::updateWelcome()
{
    if (!m_central)
        return;
    const QString root = m_runs->root();
    const bool missing = !QFileInfo(root).isDir();
    if (missing || m_runs->rowCount() == 0) {
        m_welcome->showFolder(root, missing);
        m_central->setCurrentWidget(m_welcome);
    } else {
        m_central->setCurrentWidget(m_grid);
    }
}

QString MainWindow::queueChain(const QJsonObject &config)
{
    const QString name = config.value(QStringLiteral("name")).toString(QStringLiteral("chain"));
    QString dir = QDir(m_runs->root()).filePath(name);
    for (int n = 2; QFileInfo::exists(dir); ++n)
        dir = QDir(m_runs->root()).filePath(QStringLiteral("%1-%2").arg(name).arg(n));
    m_queue->enqueue(config, dir);
    statusBar()->showMessage(tr("Queued %1 into %2").arg(name, dir), 5000);
    return dir;
}

void MainWindow::chooseRunsFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Runs folder"), m_runs->root());
    if (!folder.isEmpty())
        setRunsFolder(folder);
}

void MainWindow::selectRuns(const QStringList &names)
{
    QItemSelection selection;
    for (const QString &name : names) {
        const int row = m_runs->rowOf(QDir(m_runs->root()).filePath(name));
        if (row >= 0)
            selection.select(m_runs->index(row, 0), m_runs->index(row, RunListModel::ColumnCount - 1));
    }
    m_runTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void MainWindow::showCfgSweep()
{
    QList<QPair<double, QString>> sweep;
    for (int row = 0; row < m_runs->rowCount(); ++row) {
        const RunSummary &run = m_runs->run(row);
        const QJsonObject cfg = run.config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("cfg")).toObject();
        if (cfg.value(QStringLiteral("type")).toString() == QLatin1String("constant"))
            sweep.append({cfg.value(QStringLiteral("scale")).toDouble(), QFileInfo(run.dir).fileName()});
    }
    std::sort(sweep.begin(), sweep.end());
    QStringList names;
    for (const auto &entry : sweep)
        names << entry.second;
    if (names.isEmpty())
        statusBar()->showMessage(tr("No constant-CFG runs in this folder to compare"), 5000);
    selectRuns(names);
}

QList<RunSummary> MainWindow::selectedRuns() const
{
    QList<RunSummary> runs;
    for (const QModelIndex &index : m_runTable->selectionModel()->selectedRows())
        runs << m_runs->run(index.row());
    return runs;
}

void MainWindow::selectionChanged()
{
    m_updateTimer.stop();
    updateViews();
}

void MainWindow::runChanged(const QString &dir)
{
    for (const RunSummary &run : selectedRuns())
        if (run.dir == dir)
            m_updateTimer.start();
}

void MainWindow::updateViews()
{
    const QList<RunSummary> runs = selectedRuns();
    m_grid->setRuns(runs);
    m_plots->setRuns(runs);
    if (runs.size() == 1)
        statusBar()->showMessage(tr("%1: %2, %3").arg(runs.first().name, RunListModel::statusText(runs.first()), runs.first().settingsText()));
    else if (runs.size() > 1)
        statusBar()->showMessage(tr("Comparing %1 runs").arg(runs.size()));
    else
        statusBar()->showMessage(m_runtimeMessage);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls())
        openDroppedPath(url.toLocalFile());
}

// A run folder opens its parent as the runs folder and selects it; a folder of runs opens it; any other folder
// is taken as a dataset for the chain setup.
void MainWindow::openDroppedPath(const QString &path)
{
    if (QFileInfo::exists(QDir(path).filePath(QStringLiteral("chain.json")))) {
        setRunsFolder(QFileInfo(path).absolutePath());
        selectRuns({QFileInfo(path).fileName()});
    } else if (QFileInfo(path).isDir() && !listRunFolders(path).isEmpty()) {
        setRunsFolder(path);
    } else if (QFileInfo(path).isDir()) {
        m_setup->setField(QStringLiteral("dataset.path"), path);
        m_setupDock->raise();
        statusBar()->showMessage(tr("Dataset %1 set as D_0 in the chain setup").arg(path), 5000);
    }
}

} // namespace redifine
