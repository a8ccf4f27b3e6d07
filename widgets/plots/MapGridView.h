#pragma once

#include "widgets/plots/MapGridPlot.h"
#include "widgets/plots/PlotView.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

namespace redifine {

// The iterations a grid shows as columns: all of 0..K up to kMaxColumns, else kMaxColumns evenly spaced ones
// from 0 to K, always with the selected iteration among them (a 50-iteration chain gets readable cells).
constexpr int kMaxColumns = 12;
QList<int> shownIterations(int iterations, int selected);

// The fingerprint (autocorrelation of the noise residuals, paper Fig. 9) or the 2-D power spectrum of the
// images (Fig. 34/35) of every selected run at every iteration (at most kMaxColumns of them), as small multiples: a row per run, or per
// condition the mean map over its seeds; a column per iteration; one shared colour scale. Clicking a cell
// selects that run and iteration.
class MapGridView : public PlotView
{
    Q_OBJECT
public:
    enum Kind { Fingerprint, Spectrum2d };

    MapGridView(Kind kind, const PlotContext &context, QWidget *parent = nullptr);
    MapGridPlot *grid() const { return m_grid; }
    void replot() override;

Q_SIGNALS:
    // The first run of the clicked cell's row, and the cell's iteration.
    void cellSelected(int run, int iteration);

private:
    std::optional<MapGridPlot::Map> runMap(const RunSummary &run, int iteration) const;
    std::optional<MapGridPlot::Map> readMap(const QString &path) const;

    static constexpr int kMaxSpectrumSide = 128;
    struct CachedMap
    {
        QDateTime modified;
        qint64 bytes = 0;
        std::optional<MapGridPlot::Map> map;
    };
    mutable QHash<QString, CachedMap> m_cache;   // by file: an iteration's analysis files do not change once DONE
    mutable QSet<QString> m_usedFiles;          // the files of the grid being drawn

    Kind m_kind;
    MapGridPlot *m_grid = nullptr;
    QList<QList<int>> m_rowRuns;   // the runs behind each row
    QList<int> m_columns;          // the iteration of each column
};

} // namespace redifine
