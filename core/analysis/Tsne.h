#pragma once

#include "core/io/Npy.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace redifine {

// t-SNE (van der Maaten and Hinton 2008) with the Barnes-Hut approximation of the repulsive forces
// (van der Maaten 2014) and sparse input affinities over the 3 x perplexity nearest neighbours.
// theta = 0 visits every point, which is exact t-SNE. Optimiser as in the references: early exaggeration
// for the first iterations, momentum 0.5 then 0.8, delta-bar-delta gains. Seeded and deterministic for a
// given seed whatever the thread count.
struct TsneOptions
{
    double perplexity = 30.0;
    int iterations = 1000;
    int exaggerationIterations = 250;
    double exaggeration = 12.0;
    double learningRate = 0.0;   // 0: max(50, n / exaggeration / 4), scikit-learn's "auto"
    double theta = 0.5;
    uint64_t seed = 0;
};

// Rows of `features` in, an n x 2 embedding (row-major) out. Throws InputError for fewer than 4 rows,
// a perplexity not below n - 1, or non-finite features. `progress` (optional) gets each finished iteration.
std::vector<double> tsne(const NpyArray &features, const TsneOptions &options = {},
                         const std::function<void(int iteration)> &progress = {});

// Trustworthiness (Venna and Kaski; scikit-learn's definition) of an n x dims embedding: 1 when the k
// nearest neighbours in the embedding are all among the k nearest in the original space.
double trustworthiness(const NpyArray &original, const std::vector<double> &embedding, int dims, int k = 5);

} // namespace redifine
