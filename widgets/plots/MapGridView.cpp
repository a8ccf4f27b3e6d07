#include "widgets/plots/MapGridView.h"

#include "core/io/Npy.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <vector>

namespace redifine {

namespace {

// The fingerprint's lags, +-32 pixels as in the paper (fewer for small images).
constexpr int kLagRadius = 32;

} // namespace

QList<int> shownIterations(int iterations, int selected)
{
    QList<int> shown;
    if (iterations + 1 <= kMaxColumns) {
        for (int k = 0; k <= iterations; ++k)
            shown << k;
        return shown;
    }
    for (int i = 0; i < kMaxColumns; ++i)
        shown << int(std::lround(double(i) * iterations / (kMaxColumns - 1)));
    if (selected >= 0 && selected <= iterations && !shown.contains(selected)) {
        // The nearest shown iteration other than 0 and K makes room for the selected one.
        int nearest = 1;
        for (int i = 1; i + 1 < shown.size(); ++i)
            if (std::abs(shown[i] - selected) < std::abs(shown[nearest] - selected))
                nearest = i;
        shown[nearest] = selected;
        std::sort(shown.begin(), shown.end());
    }
    return shown;
}

MapGridView::MapGridView(Kind kind, const PlotContext &context, QWidget *parent)
    : PlotView(kind == Fingerprint ? QStringLiteral("fingerprint") : QStringLiteral("spectrum2d"), context, parent), m_kind(kind)
{
    m_grid = new MapGridPlot;
    usePlot(m_grid);
    connect(m_grid, &MapGridPlot::cellClicked, this, [this](int row, int column) {
        if (!m_rowRuns.value(row).isEmpty() && column < m_columns.size())
            Q_EMIT cellSelected(m_rowRuns[row].first(), m_columns[column]);
    });
}

// One run's map at one iteration: the fingerprint's central (2r + 1)^2 lags, or the spectrum's log10 power
// (pooled to at most kMaxSpectrumSide bins a side: SD1.5's 512 x 512 spectra in a grid of dozens of cells would
// take seconds to draw); nothing when the file is missing, damaged or not square. Maps are read once per file
// version: every click on an iteration redraws the grid.
std::optional<MapGridPlot::Map> MapGridView::runMap(const RunSummary &run, int iteration) const
{
    if (iteration >= run.iterationRecords.size() || !run.iterationRecords[iteration].done)
        return std::nullopt;
    const QString path = run.iterationFile(iteration, m_kind == Fingerprint ? QStringLiteral("analysis/fingerprint_autocorrelation.npy")
                                                                             : QStringLiteral("analysis/image_spectrum.npy"));
    const QFileInfo info(path);
    m_usedFiles.insert(path);
    const auto cached = m_cache.constFind(path);
    if (cached != m_cache.constEnd() && cached->modified == info.lastModified() && cached->bytes == info.size())
        return cached->map;
    const std::optional<MapGridPlot::Map> map = readMap(path);
    m_cache.insert(path, CachedMap{info.lastModified(), info.size(), map});
    return map;
}

std::optional<MapGridPlot::Map> MapGridView::readMap(const QString &path) const
{
    NpyArray a;
    try {
        a = readNpy(path);
    } catch (const std::exception &) {
        return std::nullopt;
    }
    if (a.shape.size() != 2 || a.shape[0] != a.shape[1] || a.shape[0] < 3)
        return std::nullopt;
    const int n = int(a.shape[0]);
    MapGridPlot::Map map;
    if (m_kind == Spectrum2d) {
        // Pooled to at most kMaxSpectrumSide bins a side; when the side does not divide evenly, the last
        // row and column of bins average the fewer values they hold.
        const int pool = (n + kMaxSpectrumSide - 1) / kMaxSpectrumSide;
        map.n = (n + pool - 1) / pool;
        map.values.assign(size_t(map.n) * map.n, 0.0);
        std::vector<int> counts(map.values.size(), 0);
        for (int y = 0; y < n; ++y)
            for (int x = 0; x < n; ++x) {
                const size_t bin = size_t(y / pool) * map.n + x / pool;
                map.values[bin] += a.values[size_t(y) * n + x];
                ++counts[bin];
            }
        for (size_t i = 0; i < map.values.size(); ++i)
            map.values[i] = std::log10(std::max(map.values[i] / counts[i], 1e-12));
        return map;
    }
    const int radius = std::min(kLagRadius, n / 2 - 1);
    map.n = 2 * radius + 1;
    for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx)
            map.values.push_back(a.values[size_t(n / 2 + dy) * n + (n / 2 + dx)]);
    return map;
}

void MapGridView::replot()
{
    MapGridPlot::Grid grid;
    m_rowRuns.clear();
    if (m_context.aggregated()) {
        for (const RunCondition &condition : m_context.conditions) {
            grid.rowLabels << condition.label;
            m_rowRuns << condition.runs;
        }
    } else {
        // Runs of different settings are labelled by what sets them apart (and their seed), not by their
        // folder names, which a sweep makes long and alike.
        QMap<int, QString> settingsOfRun;
        if (m_context.conditions.size() > 1)
            for (const RunCondition &condition : m_context.conditions)
                for (int r : condition.runs)
                    settingsOfRun.insert(r, condition.settingsLabel);
        for (int r = 0; r < m_context.runs.size(); ++r) {
            const RunSummary &run = m_context.runs[r];
            grid.rowLabels << (settingsOfRun.contains(r) ? tr("%1, seed %2").arg(settingsOfRun.value(r)).arg(run.config.value(QStringLiteral("seed")).toInteger())
                                                         : run.name);
            m_rowRuns << QList<int>{r};
        }
    }
    m_columns = shownIterations(m_context.iterations(), m_context.iteration);
    for (int k : m_columns)
        grid.columnLabels << tr("k = %1").arg(k);
    grid.selectedColumn = int(m_columns.indexOf(m_context.iteration));

    m_usedFiles.clear();
    // Each cell: the mean over the row's runs of the maps they have (of the first one's size).
    int side = 0;
    for (const QList<int> &runs : m_rowRuns) {
        QList<std::optional<MapGridPlot::Map>> row;
        for (int k : m_columns) {
            std::optional<MapGridPlot::Map> sum;
            int count = 0;
            for (int r : runs) {
                const std::optional<MapGridPlot::Map> map = runMap(m_context.runs[r], k);
                if (!map || (sum && map->n != sum->n))
                    continue;
                if (!sum)
                    sum = map;
                else
                    std::transform(sum->values.begin(), sum->values.end(), map->values.begin(), sum->values.begin(), std::plus<>());
                ++count;
            }
            if (sum) {
                for (double &v : sum->values)
                    v /= count;
                side = std::max(side, sum->n);
            }
            row << sum;
        }
        grid.cells << row;
    }

    // One colour range for the whole grid.
    double low = 0.0, high = 0.0, largestLag = 0.0;
    bool any = false;
    for (const auto &row : grid.cells)
        for (const auto &cell : row) {
            if (!cell)
                continue;
            for (size_t i = 0; i < cell->values.size(); ++i) {
                const double v = cell->values[i];
                low = any ? std::min(low, v) : v;
                high = any ? std::max(high, v) : v;
                any = true;
                if (i != cell->values.size() / 2)   // the fingerprint's centre, lag 0, is 1 by construction
                    largestLag = std::max(largestLag, std::abs(v));
            }
        }
    if (m_kind == Fingerprint) {
        // Symmetric around 0 and scaled by the largest lag other than 0, as in the paper.
        const int radius = side > 0 ? side / 2 : kLagRadius;
        grid.low = -radius - 0.5;
        grid.high = radius + 0.5;
        grid.dataRange = QCPRange(-std::max(largestLag, 1e-6), std::max(largestLag, 1e-6));
        grid.gradient = QCPColorGradient(QCPColorGradient::gpPolar);
        grid.scaleLabel = tr("autocorrelation");
        grid.cellUnit = tr("lag in pixels");
        grid.caption = tr("Fingerprint: autocorrelation of the noise residuals at lags of +-%1 pixels; columns: iteration").arg(radius);
    } else {
        // Bin centres in cycles per pixel, (i - n/2) / n on an fftshifted axis of n.
        const int n = std::max(side, 2);
        grid.low = -(n / 2 + 0.5) / n;
        grid.high = (n - n / 2 - 0.5) / n;
        grid.dataRange = QCPRange(low, high > low ? high : low + 1.0);
        grid.gradient = QCPColorGradient(QCPColorGradient::gpThermal);
        grid.scaleLabel = tr("log10 power");
        grid.cellUnit = tr("cycles per pixel");
        grid.caption = tr("2-D power spectrum of the images, zero frequency in the centre; columns: iteration");
    }
    m_grid->setGrid(grid);
    // Only the maps this grid shows stay cached: browsing a hundred runs must not keep a hundred runs' maps.
    for (auto it = m_cache.begin(); it != m_cache.end();)
        it = m_usedFiles.contains(it.key()) ? std::next(it) : m_cache.erase(it);
}

} // namespace redifine
