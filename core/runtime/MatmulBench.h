#pragma once

namespace redifine {

// The machine's own limit for dense float32 work: the rate LibTorch reaches on a square matrix multiply.
// Benchmarks report their achieved rate against this number measured in the same run.
struct MatmulRate
{
    int size = 0;
    int repeats = 0;
    double seconds = 0.0;   // best of the repeats
    double gflops = 0.0;    // 2 n^3 / seconds / 1e9
};

MatmulRate measureMatmulRate(int size = 1024, int repeats = 5);
// The same in bf16 on the CPU: the limit of work whose products run in bf16 (cpu_matmuls = bf16).
MatmulRate measureBf16MatmulRate(int size = 1024, int repeats = 5);

// The GPU's limit for the work the UNet does there: an fp16 square matrix multiply on CUDA (all zeros without
// CUDA), waiting for the device around each.
MatmulRate measureGpuHalfMatmulRate(int size = 4096, int repeats = 20);

} // namespace redifine
