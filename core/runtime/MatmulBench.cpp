#include "core/runtime/MatmulBench.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace redifine {

namespace {

// The fastest of `repeats` products of the square matrices a and b after a warm-up (thread pool, BLAS or
// cuBLAS initialisation); `wait` blocks until the device has finished its queued work.
template <typename Wait>
MatmulRate timeMultiplies(const at::Tensor &a, const at::Tensor &b, int repeats, const Wait &wait)
{
    at::Tensor c = at::mm(a, b);
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < repeats; ++i) {
        wait();
        const auto start = std::chrono::steady_clock::now();
        at::mm_out(c, a, b);
        wait();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const double n = double(a.size(0));
    MatmulRate rate;
    rate.size = int(a.size(0));
    rate.repeats = repeats;
    rate.seconds = best;
    rate.gflops = 2.0 * n * n * n / best / 1e9;
    return rate;
}

} // namespace

MatmulRate measureMatmulRate(int size, int repeats)
{
    return timeMultiplies(at::randn({size, size}, at::kFloat), at::randn({size, size}, at::kFloat), repeats, [] {});
}

MatmulRate measureBf16MatmulRate(int size, int repeats)
{
    return timeMultiplies(at::randn({size, size}).to(at::kBFloat16), at::randn({size, size}).to(at::kBFloat16), repeats, [] {});
}

MatmulRate measureGpuHalfMatmulRate(int size, int repeats)
{
    if (!torch::cuda::is_available())
        return {};
    const at::TensorOptions options = at::TensorOptions(at::kCUDA).dtype(at::kHalf);
    return timeMultiplies(at::randn({size, size}, options), at::randn({size, size}, options), repeats,
                          [] { torch::cuda::synchronize(); });
}

} // namespace redifine
