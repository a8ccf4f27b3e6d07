#pragma once

#include "core/io/RunReader.h"

#include <QAbstractTableModel>
#include <QHash>

namespace redifine {

class ThumbnailCache;

// The image grid: columns are iterations 0..K; rows are the prompts of one run, or in comparison the runs
// themselves for one chosen prompt. Cells fill in as images arrive; a missing or damaged image shows as such.
class ImageGridModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role { ImagePathRole = Qt::UserRole, PromptRole, RunRole, IterationRole, StateRole };
    enum CellState { Present, Waiting, Missing };

    explicit ImageGridModel(ThumbnailCache *thumbnails, QObject *parent = nullptr);

    // One run: a row per prompt. Several: a row per run, showing prompt `promptRow` of each.
    void setRuns(const QList<RunSummary> &runs);
    void setComparisonPrompt(int promptRow);
    void setThumbnailSize(int pixels);
    int thumbnailSize() const { return m_size; }
    bool isComparison() const { return m_runs.size() > 1; }

    QString imagePath(int row, int column) const;
    CellState cellState(int row, int column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const RunSummary *runOf(int row) const;
    int promptOf(int row) const;
    void thumbnailReady(const QString &path);

    ThumbnailCache *m_thumbnails;
    QList<RunSummary> m_runs;
    int m_comparisonPrompt = 0;
    int m_size = 96;
    // Where each requested thumbnail belongs, to repaint that cell when it arrives; filled while painting.
    mutable QHash<QString, QPersistentModelIndex> m_cellOfPath;
};

} // namespace redifine
