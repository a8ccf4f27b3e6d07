#pragma once

#include "core/chain/ChainRunner.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <atomic>

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace redifine {

// Runs one chain in a worker thread (the engine facade of CONVENTIONS.md): progress, one signal per completed
// iteration, finished or failed, as queued signals carrying values. Cancellation is a flag the runner polls
// between steps, so it takes effect within a step and leaves the run folder consistent and resumable.
class ChainWorker : public QObject
{
    Q_OBJECT
public:
    explicit ChainWorker(std::atomic<bool> *cancel) : m_cancel(cancel) {}

public Q_SLOTS:
    void run(const QJsonObject &config, const QString &runDir);

Q_SIGNALS:
    void progress(const QString &runDir, int iteration, int iterations, const QString &phase, int step, int total, double eta);
    void iterationDone(const QString &runDir, int iteration);
    void finished(const QString &runDir, bool complete);
    void failed(const QString &runDir, const QString &error);

private:
    std::atomic<bool> *m_cancel;
};

// The queue: chains run one after another in the worker thread (they saturate the CPU), each row showing its
// iteration, phase, a progress bar and the ETA; cancel, resume and remove. The window never waits on a chain.
class ChainQueue : public QWidget
{
    Q_OBJECT
public:
    enum State { Waiting, Running, Done, Cancelled, Failed };

    explicit ChainQueue(QWidget *parent = nullptr);
    ~ChainQueue() override;

    void enqueue(const QJsonObject &config, const QString &runDir);
    int count() const;
    State state(int row) const;
    QString runDir(int row) const;
    QString statusText(int row) const;
    void cancel(int row);
    void resume(int row);
    bool isIdle() const { return m_running < 0; }

Q_SIGNALS:
    void chainFinished(const QString &runDir, bool complete);
    void iterationCompleted(const QString &runDir, int iteration);
    void startChain(const QJsonObject &config, const QString &runDir);   // to the worker thread

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    struct Entry
    {
        QJsonObject config;
        QString runDir;
        State state = Waiting;
        QTreeWidgetItem *item = nullptr;
    };
    void startNext();
    void showProgress(const QString &runDir, int iteration, int iterations, const QString &phase, int step, int total, double eta);
    void finish(const QString &runDir, State state, const QString &text);
    int rowOf(const QString &runDir) const;
    int selectedRow() const;

    QList<Entry> m_entries;
    int m_running = -1;
    std::atomic<bool> m_cancel{false};
    QThread m_thread;
    QTreeWidget *m_list;
    QPushButton *m_cancelButton;
    QPushButton *m_resumeButton;
    QPushButton *m_removeButton;
};

// Measures how long the GUI thread goes without processing events: a 10 ms timer notes how late each tick
// arrives. The largest lateness is the longest the event loop was blocked (the number the README reports).
class GuiLatencyProbe : public QObject
{
    Q_OBJECT
public:
    explicit GuiLatencyProbe(QObject *parent = nullptr);
    void start();
    void stop() { m_timer.stop(); }
    double maxBlockedMs() const { return m_maxBlockedMs; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_maxBlockedMs = 0.0;
};

} // namespace redifine
