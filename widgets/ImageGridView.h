#pragma once

#include "core/io/RunReader.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSlider;
class QSortFilterProxyModel;
class QTableView;

namespace redifine {

class ImageGridModel;
class ThumbnailCache;

// The live image grid with its controls: zoom, a prompt filter, the prompt shown when comparing runs, and a
// double click that opens the image at full size with its prompt, seed and parameters.
class ImageGridView : public QWidget
{
    Q_OBJECT
public:
    explicit ImageGridView(QWidget *parent = nullptr);

    void setRuns(const QList<RunSummary> &runs);
    ImageGridModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ThumbnailCache *thumbnails() const { return m_thumbnails; }
    void setThumbnailSize(int pixels);
    void setPromptFilter(const QString &text);
    void openCell(const QModelIndex &proxyIndex);
    // Shows run `run` (an index into the runs) at `iteration`: its cell when comparing runs, else the column.
    void selectRunIteration(int run, int iteration);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // The user picked an iteration (clicked a cell or a column header): linked views follow.
    void iterationSelected(int iteration);

private:
    ThumbnailCache *m_thumbnails;
    ImageGridModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QSlider *m_zoom;
    QLineEdit *m_filter;
    QComboBox *m_comparisonPrompt;
};

} // namespace redifine
