#include "widgets/plots/MapGridPlot.h"

#include <QToolTip>

#include <algorithm>

namespace redifine {

namespace {

constexpr int kSpacing = 3;
constexpr int kScaleWidth = 90;

} // namespace

MapGridPlot::MapGridPlot(QWidget *parent) : QCustomPlot(parent)
{
    setMouseTracking(true);
    connect(this, &QCustomPlot::mouseMove, this, &MapGridPlot::showValueAt);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        const auto [row, column] = cellAt(event->position());
        if (row >= 0)
            Q_EMIT cellClicked(row, column);
    });
}

void MapGridPlot::setGrid(const Grid &grid)
{
    m_grid = grid;
    plotLayout()->clear();   // the default axis rect and legend with it; xAxis, yAxis, legend become null
    m_rowLabels.clear();
    m_columnLabels.clear();
    m_rects.clear();
    m_maps.clear();
    m_cells = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, m_cells);
    m_cells->setColumnSpacing(kSpacing);
    m_cells->setRowSpacing(kSpacing);
    const QColor text = palette().color(QPalette::WindowText);
    QFont bold = font();
    bold.setBold(true);
    for (int c = 0; c < columnCount(); ++c) {
        auto *label = new QCPTextElement(this, grid.columnLabels[c], c == grid.selectedColumn ? bold : font());
        label->setTextColor(c == grid.selectedColumn ? palette().color(QPalette::Highlight) : text);
        label->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
        m_cells->addElement(0, c + 1, label);
        m_columnLabels << label;
    }
    m_scale = new QCPColorScale(this);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setGradient(grid.gradient);
    m_scale->setDataRange(grid.dataRange);
    m_scale->axis()->setLabel(grid.scaleLabel);
    m_scale->axis()->setLabelColor(text);
    m_scale->axis()->setTickLabelColor(text);
    m_scale->axis()->setBasePen(QPen(text));
    m_scale->axis()->setTickPen(QPen(text));
    m_scale->axis()->setSubTickPen(QPen(text));
    plotLayout()->addElement(0, 1, m_scale);
    for (int r = 0; r < rowCount(); ++r) {
        const QString elided = QFontMetrics(font()).elidedText(grid.rowLabels[r], Qt::ElideMiddle, 240);
        auto *label = new QCPTextElement(this, elided, font());
        label->setTextColor(text);
        label->setTextFlags(Qt::AlignRight | Qt::AlignVCenter);
        label->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
        m_cells->addElement(r + 1, 0, label);
        m_rowLabels << label;
        QList<QCPAxisRect *> rects;
        QList<QCPColorMap *> maps;
        for (int c = 0; c < columnCount(); ++c) {
            auto *rect = new QCPAxisRect(this, true);
            rect->setAutoMargins(QCP::msNone);
            rect->setMargins(QMargins(0, 0, 0, 0));
            rect->setSizeConstraintRect(QCPLayoutElement::scrOuterRect);
            for (QCPAxis *axis : rect->axes())
                axis->setVisible(false);
            rect->axis(QCPAxis::atBottom)->setRange(grid.low, grid.high);
            rect->axis(QCPAxis::atLeft)->setRange(grid.low, grid.high);
            rect->setBackground(palette().color(QPalette::Mid));
            m_cells->addElement(r + 1, c + 1, rect);
            QCPColorMap *map = nullptr;
            const std::optional<Map> &cell = grid.cells.value(r).value(c);
            if (cell && cell->n > 0) {
                map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
                map->setInterpolate(false);
                map->data()->setSize(cell->n, cell->n);
                const double half = (grid.high - grid.low) / (2.0 * cell->n);
                map->data()->setRange(QCPRange(grid.low + half, grid.high - half), QCPRange(grid.low + half, grid.high - half));
                for (int y = 0; y < cell->n; ++y)
                    for (int x = 0; x < cell->n; ++x)
                        map->data()->setCell(x, y, cell->values[size_t(y) * cell->n + x]);
                map->setColorScale(m_scale);
            }
            rects << rect;
            maps << map;
        }
        m_rects << rects;
        m_maps << maps;
    }
    // The scale's own setting after the maps joined it: they take the scale's range and gradient.
    m_scale->setDataRange(grid.dataRange);
    if (!grid.caption.isEmpty()) {
        auto *caption = new QCPTextElement(this, grid.caption, font());
        caption->setTextColor(text);
        plotLayout()->addElement(1, 0, caption);
    }
    fitCells(size());
    replot(QCustomPlot::rpQueuedReplot);
}

// Every cell the same square: the largest side that fits the columns beside the row labels and the colour
// scale, and the rows under the column labels.
void MapGridPlot::fitCells(const QSize &size)
{
    if (!m_cells || rowCount() == 0 || columnCount() == 0)
        return;
    const QFontMetrics metrics(font());
    int labelWidth = 0;
    for (QCPTextElement *label : m_rowLabels)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(label->text()) + 12);
    const int headerHeight = metrics.height() + 6;
    const int captionHeight = m_grid.caption.isEmpty() ? 0 : metrics.height() + 10;
    const int width = size.width() - labelWidth - kScaleWidth - kSpacing * (columnCount() + 2) - 10;
    const int height = size.height() - headerHeight - captionHeight - kSpacing * (rowCount() + 2) - 10;
    const int side = std::max(6, std::min(width / columnCount(), height / rowCount()));
    for (int c = 0; c < columnCount(); ++c) {
        m_columnLabels[c]->setMinimumSize(side, headerHeight);
        m_columnLabels[c]->setMaximumSize(side, headerHeight);
    }
    for (int r = 0; r < rowCount(); ++r) {
        m_rowLabels[r]->setMinimumSize(labelWidth, side);
        m_rowLabels[r]->setMaximumSize(labelWidth, side);
        for (QCPAxisRect *rect : m_rects[r]) {
            rect->setMinimumSize(side, side);
            rect->setMaximumSize(side, side);
        }
    }
    m_scale->setMinimumSize(kScaleWidth, headerHeight + rowCount() * (side + kSpacing));
    m_scale->setMaximumSize(kScaleWidth, headerHeight + rowCount() * (side + kSpacing));
}

void MapGridPlot::resizeEvent(QResizeEvent *event)
{
    fitCells(event->size());
    QCustomPlot::resizeEvent(event);
}

QCPAxisRect *MapGridPlot::cellRect(int row, int column) const
{
    return m_rects.value(row).value(column);
}

QCPColorMap *MapGridPlot::cellMap(int row, int column) const
{
    return m_maps.value(row).value(column);
}

QString MapGridPlot::columnLabelText(int column) const
{
    return m_columnLabels.value(column) ? m_columnLabels[column]->text() : QString();
}

QPair<int, int> MapGridPlot::cellAt(const QPointF &pos) const
{
    for (int r = 0; r < m_rects.size(); ++r)
        for (int c = 0; c < m_rects[r].size(); ++c)
            if (m_rects[r][c]->outerRect().contains(pos.toPoint()))
                return {r, c};
    return {-1, -1};
}

void MapGridPlot::showValueAt(QMouseEvent *event)
{
    const auto [row, column] = cellAt(event->position());
    QCPColorMap *map = cellMap(row, column);
    if (!map) {
        QToolTip::hideText();
        return;
    }
    const double x = map->keyAxis()->pixelToCoord(event->position().x()), y = map->valueAxis()->pixelToCoord(event->position().y());
    QToolTip::showText(event->globalPosition().toPoint(),
                       QStringLiteral("%1, %2\n(%3, %4) %5: %6")
                           .arg(m_grid.rowLabels[row], m_grid.columnLabels[column])
                           .arg(x, 0, 'g', 3)
                           .arg(y, 0, 'g', 3)
                           .arg(m_grid.cellUnit)
                           .arg(map->data()->data(x, y), 0, 'g', 4),
                       this);
}

void fitPlotTo(QCustomPlot *plot, const QSize &size)
{
    if (auto *grid = qobject_cast<MapGridPlot *>(plot))
        grid->fitCells(size);
}

} // namespace redifine
