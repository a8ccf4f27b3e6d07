#pragma once

#include <QMainWindow>

class QDockWidget;

namespace redifine {

class CfgSchedulePlot;

// The studio's main window: the image grid in the centre, runs, chain setup, queue and plots as docks.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    QDockWidget *runsDock() const { return m_runsDock; }
    QDockWidget *setupDock() const { return m_setupDock; }
    QDockWidget *queueDock() const { return m_queueDock; }
    QDockWidget *plotsDock() const { return m_plotsDock; }
    CfgSchedulePlot *schedulePlot() const { return m_schedulePlot; }

private:
    void createDocks();
    void createMenus();
    void showAbout();
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *content, Qt::DockWidgetArea area);

    QDockWidget *m_runsDock = nullptr;
    QDockWidget *m_setupDock = nullptr;
    QDockWidget *m_queueDock = nullptr;
    QDockWidget *m_plotsDock = nullptr;
    CfgSchedulePlot *m_schedulePlot = nullptr;
};

} // namespace redifine
