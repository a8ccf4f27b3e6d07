#include "widgets/RunListModel.h"

#include <QBrush>
#include <QDir>
#include <QFileInfo>

namespace redifine {

RunListModel::RunListModel(QObject *parent) : QAbstractTableModel(parent)
{
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &RunListModel::refresh);
    connect(&m_poll, &QTimer::timeout, this, &RunListModel::refresh);
    m_poll.start(2000);
}

void RunListModel::setRoot(const QString &root)
{
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_root = root;
    // Never made here: a remembered folder that has gone (an unmounted drive) must be seen as missing, not
    // silently re-created empty.
    if (QFileInfo(root).isDir())
        m_watcher.addPath(root);
    beginResetModel();
    m_runs.clear();
    m_stamps.clear();
    endResetModel();
    refresh();
}

void RunListModel::refresh()
{
    const QStringList dirs = m_root.isEmpty() ? QStringList() : listRunFolders(m_root);
    // Runs that disappeared.
    for (int row = int(m_runs.size()) - 1; row >= 0; --row)
        if (!dirs.contains(m_runs[row].dir)) {
            m_stamps.remove(m_runs[row].dir);
            beginRemoveRows({}, row, row);
            m_runs.removeAt(row);
            endRemoveRows();
        }
    // Every 15th poll (30 s) reads every run again; otherwise only runs whose stamp changed.
    const bool full = ++m_polls % 15 == 0;
    m_lastReads = 0;
    for (const QString &dir : dirs) {
        const QString stamp = runStamp(dir);
        if (!full && m_stamps.value(dir) == stamp && rowOf(dir) >= 0)
            continue;
        m_stamps.insert(dir, stamp);
        ++m_lastReads;
        const RunSummary summary = readRunSummary(dir);
        const int row = rowOf(dir);
        if (row < 0) {
            int at = 0;
            while (at < m_runs.size() && m_runs[at].dir < dir)
                ++at;
            beginInsertRows({}, at, at);
            m_runs.insert(at, summary);
            endInsertRows();
            Q_EMIT runChanged(dir);
        } else if (m_runs[row].completedIterations() != summary.completedIterations() || m_runs[row].problems != summary.problems
                   || m_runs[row].iterationRecords.value(summary.completedIterations()).imageCount
                          != summary.iterationRecords.value(summary.completedIterations()).imageCount) {
            m_runs[row] = summary;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            Q_EMIT runChanged(dir);
        }
    }
}

QString RunListModel::statusText(const RunSummary &run)
{
    if (!run.isRunFolder())
        return tr("not a run: %1").arg(run.problems.value(0));
    if (!run.problems.isEmpty())
        return tr("damaged: %1").arg(run.problems.first());
    if (run.isComplete())
        return tr("complete");
    return tr("%1/%2 iterations").arg(std::max(0, run.completedIterations() - 1)).arg(run.iterations);
}

int RunListModel::rowOf(const QString &dir) const
{
    for (int row = 0; row < m_runs.size(); ++row)
        if (m_runs[row].dir == dir)
            return row;
    return -1;
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_runs.size())
        return {};
    const RunSummary &run = m_runs[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return run.name;
        case Status: return statusText(run);
        case Settings: return run.settingsText();
        case Description: return run.description;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return run.problems.isEmpty() ? run.dir : run.dir + QLatin1Char('\n') + run.problems.join(QLatin1Char('\n'));
    if (role == Qt::ForegroundRole && index.column() == Status && !run.problems.isEmpty())
        return QBrush(Qt::darkRed);
    if (role == Qt::UserRole)
        return run.dir;
    return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Chain");
    case Status: return tr("Status");
    case Settings: return tr("Settings");
    case Description: return tr("Description");
    default: return {};
    }
}

} // namespace redifine
