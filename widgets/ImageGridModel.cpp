#include "widgets/ImageGridModel.h"

#include "widgets/ThumbnailCache.h"

#include <QColor>
#include <QFile>
#include <QPainter>
#include <QPixmap>

namespace redifine {

ImageGridModel::ImageGridModel(ThumbnailCache *thumbnails, QObject *parent) : QAbstractTableModel(parent), m_thumbnails(thumbnails)
{
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, &ImageGridModel::thumbnailReady);
    connect(m_thumbnails, &ThumbnailCache::failedToLoad, this, &ImageGridModel::thumbnailReady);
}

void ImageGridModel::setRuns(const QList<RunSummary> &runs)
{
    beginResetModel();
    m_runs = runs;
    m_cellOfPath.clear();
    endResetModel();
}

void ImageGridModel::setComparisonPrompt(int promptRow)
{
    beginResetModel();
    m_comparisonPrompt = std::max(0, promptRow);
    m_cellOfPath.clear();
    endResetModel();
}

void ImageGridModel::setThumbnailSize(int pixels)
{
    beginResetModel();
    m_size = std::clamp(pixels, 24, 512);
    m_cellOfPath.clear();
    endResetModel();
}

const RunSummary *ImageGridModel::runOf(int row) const
{
    if (m_runs.isEmpty())
        return nullptr;
    return isComparison() ? &m_runs[row] : &m_runs.first();
}

int ImageGridModel::promptOf(int row) const
{
    return isComparison() ? m_comparisonPrompt : row;
}

int ImageGridModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_runs.isEmpty())
        return 0;
    return isComparison() ? int(m_runs.size()) : int(m_runs.first().prompts.size());
}

int ImageGridModel::columnCount(const QModelIndex &parent) const
{
    if (parent.isValid() || m_runs.isEmpty())
        return 0;
    int columns = 0;
    for (const RunSummary &run : m_runs)
        columns = std::max(columns, run.iterations + 1);
    return columns;
}

QString ImageGridModel::imagePath(int row, int column) const
{
    const RunSummary *run = runOf(row);
    if (!run || column > run->iterations || promptOf(row) >= run->prompts.size())
        return {};
    return run->imagePath(column, promptOf(row));
}

ImageGridModel::CellState ImageGridModel::cellState(int row, int column) const
{
    const QString path = imagePath(row, column);
    if (path.isEmpty())
        return Missing;
    if (QFile::exists(path))
        return m_thumbnails->hasFailed(path) ? Missing : Present;
    // Not there: still to come, unless its iteration claims to be complete.
    const RunSummary *run = runOf(row);
    return run->iterationRecords.value(column).done ? Missing : Waiting;
}

QVariant ImageGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const RunSummary *run = runOf(index.row());
    const QString path = imagePath(index.row(), index.column());
    switch (role) {
    case Qt::DecorationRole: {
        const CellState state = cellState(index.row(), index.column());
        if (state == Present) {
            const QPixmap pixmap = m_thumbnails->thumbnail(path, m_size);
            m_cellOfPath.insert(path, index);
            if (!pixmap.isNull())
                return pixmap;
        }
        // A placeholder the size of a thumbnail: light grey while waiting, a red cross when missing.
        QPixmap placeholder(m_size, m_size);
        placeholder.fill(QColor(236, 236, 236));
        if (state == Missing) {
            QPainter painter(&placeholder);
            painter.setPen(QPen(QColor(200, 60, 60), 2));
            painter.drawLine(8, 8, m_size - 8, m_size - 8);
            painter.drawLine(8, m_size - 8, m_size - 8, 8);
        }
        return placeholder;
    }
    case Qt::ToolTipRole:
        return QStringLiteral("%1\niteration %2\n%3").arg(run ? run->prompts.value(promptOf(index.row())) : QString()).arg(index.column()).arg(path);
    case ImagePathRole: return path;
    case PromptRole: return run ? run->prompts.value(promptOf(index.row())) : QString();
    case RunRole: return run ? run->dir : QString();
    case IterationRole: return index.column();
    case StateRole: return int(cellState(index.row(), index.column()));
    case Qt::SizeHintRole: return QSize(m_size + 4, m_size + 4);
    default: return {};
    }
}

QVariant ImageGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section == 0 ? tr("D_0 (original)") : tr("iteration %1").arg(section);
    const RunSummary *run = runOf(section);
    if (!run)
        return {};
    const QString label = isComparison() ? run->name : run->prompts.value(section);
    if (role == Qt::ToolTipRole || label.size() <= 28)
        return label;
    return label.left(26) + QStringLiteral("…");
}

void ImageGridModel::thumbnailReady(const QString &path)
{
    const QPersistentModelIndex index = m_cellOfPath.value(path);
    if (index.isValid())
        Q_EMIT dataChanged(index, index, {Qt::DecorationRole, StateRole});
}

} // namespace redifine
