#pragma once

#include "core/io/RunReader.h"

#include <QMainWindow>
#include <QTimer>

class QDockWidget;
class QStackedWidget;
class QTableView;

namespace redifine {

class ChainQueue;
class ChainSetupPanel;
class ImageGridView;
class RunListModel;
class RunPlots;
class WelcomePanel;

// The studio's main window: the image grid in the centre; runs, chain setup, queue and plots as docks.
// Selecting one run shows its grid (a row per prompt) and plots; selecting several compares them (a row per
// run, plots overlaid, one colour per run). Views follow the run store on disk as iterations complete.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QDockWidget *runsDock() const { return m_runsDock; }
    QDockWidget *setupDock() const { return m_setupDock; }
    QDockWidget *queueDock() const { return m_queueDock; }
    QDockWidget *plotsDock() const { return m_plotsDock; }
    ChainSetupPanel *setup() const { return m_setup; }
    ChainQueue *queue() const { return m_queue; }
    ImageGridView *grid() const { return m_grid; }
    WelcomePanel *welcome() const { return m_welcome; }
    QStackedWidget *central() const { return m_central; }
    RunPlots *plots() const { return m_plots; }
    RunListModel *runs() const { return m_runs; }
    QTableView *runTable() const { return m_runTable; }

    void setRunsFolder(const QString &root);
    // Selects runs by folder name (comparison when several); unknown names are ignored.
    void selectRuns(const QStringList &names);
    // The paper's Figure 2b: every constant-CFG run of the folder, ordered by guidance scale.
    void showCfgSweep();
    QList<RunSummary> selectedRuns() const;
    // What a dropped folder does (see dropEvent).
    void openDroppedPath(const QString &path);
    // Queues a chain from the setup into the runs folder (a new folder named after the chain); returns it.
    QString queueChain(const QJsonObject &config);
    // Live switches (saved in the settings): the window rebuilds its widgets in the new language or palette,
    // keeping the runs folder, selection, plot tab, iteration, chain setup, layout and the queue.
    void setLanguage(const QString &language);
    void setTheme(const QString &theme);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildInterface();
    void rebuildInterface();
    void createDocks();
    void createMenus();
    void showAbout();
    void chooseRunsFolder();
    void selectionChanged();
    void runChanged(const QString &dir);
    void updateViews();
    void updateWelcome();
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *content, Qt::DockWidgetArea area);

    QDockWidget *m_runsDock = nullptr;
    QDockWidget *m_setupDock = nullptr;
    QDockWidget *m_queueDock = nullptr;
    QDockWidget *m_plotsDock = nullptr;
    ChainSetupPanel *m_setup = nullptr;
    ChainQueue *m_queue = nullptr;
    ImageGridView *m_grid = nullptr;
    WelcomePanel *m_welcome = nullptr;
    QStackedWidget *m_central = nullptr;
    RunPlots *m_plots = nullptr;
    RunListModel *m_runs = nullptr;
    QTableView *m_runTable = nullptr;
    QTimer m_updateTimer;   // coalesces bursts of run changes into one view update
    bool m_rebuildPending = false;
    QString m_runtimeMessage;   // LibTorch, device, threads and kernel advice: the status bar when no run is selected
};

} // namespace redifine
