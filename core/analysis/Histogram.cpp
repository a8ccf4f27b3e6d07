#include "core/analysis/Histogram.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace redifine {

std::vector<double> equalEdges(double low, double high, int bins)
{
    if (bins < 1 || !(low < high) || !std::isfinite(low) || !std::isfinite(high))
        throw InputError("histogram: need at least one bin and a finite range low < high");
    std::vector<double> edges(size_t(bins) + 1);
    for (int i = 0; i <= bins; ++i)
        edges[i] = low + (high - low) * i / bins;
    return edges;
}

Histogram histogram(const double *values, size_t count, const std::vector<double> &edges)
{
    Histogram h;
    h.edges = edges;
    const size_t bins = edges.size() - 1;
    std::vector<long long> counts(bins, 0);
    for (size_t i = 0; i < count; ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            throw InputError("histogram: value " + std::to_string(i) + " is not finite");
        if (v < edges.front()) {
            ++h.below;
        } else if (v > edges.back()) {
            ++h.above;
        } else {
            // upper_bound finds the first edge above v; the last edge belongs to the last bin, as in numpy.
            const size_t bin = std::min<size_t>(size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1, bins - 1);
            ++counts[bin];
        }
    }
    h.total = (long long)count;
    h.density.resize(bins);
    for (size_t b = 0; b < bins; ++b)
        h.density[b] = count ? double(counts[b]) / (double(count) * (edges[b + 1] - edges[b])) : 0.0;
    return h;
}

} // namespace redifine
