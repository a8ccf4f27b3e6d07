#pragma once
// How a LoRA adapter is computed, and at what cost. Two mathematically equal forms: the adapter path
// W x + s up(down x), or one layer with the merged weight (W + s up down) x. The merged weight costs
// out*in*rank once (three times when training) plus, when training, the full weight gradient tokens*in*out;
// the adapter path costs tokens*rank*(in + out) forward and twice that backward. The layer takes the cheaper.
// Torch-free, so that the benchmark's FLOP count uses the same rule as the layer.

#include <algorithm>

namespace redifine {

struct LoraCost
{
    double multiplyAdds;   // beyond the layer's own W x (and, when training, its input gradient)
    bool merged;
};

inline LoraCost loraCost(double tokens, double in, double out, double rank, bool training)
{
    const double adapter = tokens * rank * (in + out) * (training ? 3.0 : 1.0);
    const double merged = in * out * (rank * (training ? 3.0 : 1.0) + (training ? tokens : 0.0));
    return merged < adapter ? LoraCost{merged, true} : LoraCost{adapter, false};
}

} // namespace redifine
