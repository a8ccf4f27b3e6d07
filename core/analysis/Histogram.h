#pragma once

#include <vector>

namespace redifine {

// A histogram over fixed bin edges, normalised as a density (integrates to the share of values inside the
// edges), so sets of different sizes and iterations plotted over the same edges compare directly
// (paper Fig. 4a: latent values per iteration).
struct Histogram
{
    std::vector<double> edges;     // bins + 1, increasing
    std::vector<double> density;   // bins
    long long below = 0;           // values under the first edge
    long long above = 0;           // values over the last edge (the last edge itself is inside)
    long long total = 0;
};

// `bins` equal bins over [low, high]; throws InputError for bins < 1 or low >= high and for non-finite values.
std::vector<double> equalEdges(double low, double high, int bins);
Histogram histogram(const double *values, size_t count, const std::vector<double> &edges);

} // namespace redifine
