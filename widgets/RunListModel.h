#pragma once

#include "core/io/RunReader.h"

#include <QAbstractTableModel>
#include <QFileSystemWatcher>
#include <QHash>
#include <QTimer>

namespace redifine {

// The runs under a runs folder: name, status, key settings, description. Watches the folder (new runs appear
// at once) and looks at the runs every two seconds, so runs started elsewhere (the CLI, a cluster sweep on a
// shared folder) show their progress live; polling also works on network file systems, where change
// notification does not. A poll re-reads only the runs whose stamp (runStamp: a few file times) changed, so
// hundreds of runs cost a few stat calls each; every 30 s all are read again.
class RunListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Status, Settings, Description, ColumnCount };

    explicit RunListModel(QObject *parent = nullptr);

    // "complete", "3/7 iterations", "damaged: ..." in the user's language.
    static QString statusText(const RunSummary &run);

    void setRoot(const QString &root);
    const QString &root() const { return m_root; }
    void refresh();
    int lastRefreshReads() const { return m_lastReads; }   // runs re-read by the last refresh

    const RunSummary &run(int row) const { return m_runs.at(row); }
    int rowOf(const QString &dir) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // A run's summary changed (an iteration completed, a run appeared); the studio updates its views.
    void runChanged(const QString &dir);

private:
    QString m_root;
    QList<RunSummary> m_runs;
    QFileSystemWatcher m_watcher;
    QTimer m_poll;
    QHash<QString, QString> m_stamps;   // run folder -> runStamp at its last reading
    int m_polls = 0;
    int m_lastReads = 0;
};

} // namespace redifine
