#pragma once

#include "core/bench/AnalysisBenchmark.h"

#include <QJsonObject>

namespace redifine {

struct BenchmarkOptions
{
    bool cpuBf16 = false;        // the product's matrix products in bf16 on the CPU (cpu_matmuls = bf16)
    int trainBatch = 32;
    int trainSteps = 10;         // timed steps after one warm-up step
    int sampleImages = 16;
    int sampleSteps = 30;
    int vaeBatch = 32;
    // The chain iteration on the tiny family: 400 LoRA steps at batch 16 + 200 images.
    int chainFinetuneSteps = 400;
    int chainFinetuneBatch = 16;
    int chainImages = 200;
    AnalysisBenchmarkOptions analysis;
};

// Measures the tiny family on the current device, with this machine's matrix-multiply rate measured in
// the same run, then the analyses (AnalysisBenchmark.h). Returns the JSON report `redifine bench --json` prints.
QJsonObject runBenchmarks(const BenchmarkOptions &options);

} // namespace redifine
