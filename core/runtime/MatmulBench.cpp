#include "core/runtime/MatmulBench.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace redifine {

MatmulRate measureMatmulRate(int size, int repeats)
{
    const at::Tensor a = at::randn({size, size}, at::kFloat);
    const at::Tensor b = at::randn({size, size}, at::kFloat);
    at::Tensor c = at::mm(a, b); // warm-up: thread pool start and BLAS initialisation

    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        at::mm_out(c, a, b);
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        best = std::min(best, elapsed.count());
    }
    MatmulRate rate;
    rate.size = size;
    rate.repeats = repeats;
    rate.seconds = best;
    rate.gflops = 2.0 * double(size) * size * size / best / 1e9;
    return rate;
}

MatmulRate measureGpuHalfMatmulRate(int size, int repeats)
{
    if (!torch::cuda::is_available())
        return {};
    const at::TensorOptions options = at::TensorOptions(at::kCUDA).dtype(at::kHalf);
    const at::Tensor a = at::randn({size, size}, options);
    const at::Tensor b = at::randn({size, size}, options);
    at::Tensor c = at::mm(a, b);   // warm-up: cuBLAS handle and kernel selection
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < repeats; ++i) {
        torch::cuda::synchronize();
        const auto start = std::chrono::steady_clock::now();
        at::mm_out(c, a, b);
        torch::cuda::synchronize();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    MatmulRate rate;
    rate.size = size;
    rate.repeats = repeats;
    rate.seconds = best;
    rate.gflops = 2.0 * double(size) * size * size / best / 1e9;
    return rate;
}

} // namespace redifine
