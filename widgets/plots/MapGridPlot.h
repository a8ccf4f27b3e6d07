#pragma once

#include <qcustomplot.h>

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace redifine {

// Small multiples of square colour maps (paper Figures 9 and 34): a row per chain, a column per iteration, one
// colour scale shared by every cell, row and column labels, values on hover, a click names the cell. Cells stay
// square at any size: fitCells() sizes them for the widget on every resize, and for an export's size before it
// draws (fitPlotTo).
class MapGridPlot : public QCustomPlot
{
    Q_OBJECT
public:
    // One cell's map: n x n values, row-major from the bottom row up, over [low, high] on both axes.
    struct Map
    {
        int n = 0;
        std::vector<double> values;
    };
    struct Grid
    {
        QStringList rowLabels;
        QStringList columnLabels;
        QList<QList<std::optional<Map>>> cells;   // [row][column]; nullopt: nothing there (drawn blank)
        double low = 0.0, high = 1.0;             // axis range of every cell's map
        QString cellUnit;                         // what a cell's axes measure, for the hover text
        QCPRange dataRange;                       // the shared colour range
        QCPColorGradient gradient;
        QString scaleLabel;
        QString caption;                          // under the grid
        int selectedColumn = -1;                  // drawn with a highlighted label
    };

    explicit MapGridPlot(QWidget *parent = nullptr);
    void setGrid(const Grid &grid);
    void fitCells(const QSize &size);

    int rowCount() const { return int(m_grid.rowLabels.size()); }
    int columnCount() const { return int(m_grid.columnLabels.size()); }
    QCPAxisRect *cellRect(int row, int column) const;
    QCPColorMap *cellMap(int row, int column) const;   // nullptr where the cell is blank
    QCPColorScale *colourScale() const { return m_scale; }
    QString columnLabelText(int column) const;
    QString rowLabelText(int row) const { return m_grid.rowLabels.value(row); }
    // The cell under a point of the widget; (-1, -1) when none.
    QPair<int, int> cellAt(const QPointF &pos) const;

Q_SIGNALS:
    void cellClicked(int row, int column);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showValueAt(QMouseEvent *event);

    Grid m_grid;
    QCPLayoutGrid *m_cells = nullptr;
    QCPColorScale *m_scale = nullptr;
    QList<QCPTextElement *> m_rowLabels, m_columnLabels;
    QList<QList<QCPAxisRect *>> m_rects;
    QList<QList<QCPColorMap *>> m_maps;
};

// Before drawing `plot` at `size` (an export) and after (with the widget's own size): a grid of maps lays its
// cells out square for that size; other plots are left as they are.
void fitPlotTo(QCustomPlot *plot, const QSize &size);

} // namespace redifine
