#pragma once

#include <QString>

namespace redifine {

// What the engine runs on: LibTorch version, device, intra-op threads and the BLAS library in use.
struct RuntimeInfo
{
    QString productVersion;
    QString torchVersion;
    QString device;        // "cuda:0 (NVIDIA H100 ...)" or "cpu"
    bool cudaAvailable = false;
    bool builtWithCuda = false;
    int threads = 1;
    int loopThreads = 1;   // threads the product's own parallel loops really use (parallelLoopThreads())
    QString blas;          // the BLAS shared library mapped into the process, if any
    QString blasAdvice;    // when its kernels are weaker than the CPU supports: what to change (BlasTuning.h)
    QString dataDir;       // where the shipped weights, presets and translations were found
};

// Sets LibTorch's intra-op thread count. threads <= 0 means: REDIFINE_THREADS from the environment when
// set, else every core. Debian's LibTorch starts with one thread, so every front end calls this first.
// Returns the thread count in effect.
int configureThreads(int threads = 0);

// How many threads an at::parallel_for compiled into the core library forks into at the current thread
// count: ATen's loop template forks only where the including file was built with OpenMP, so a build that
// loses the flag runs every fused operator and analysis loop on one thread without any other sign.
int parallelLoopThreads();

RuntimeInfo runtimeInfo();

// Several lines, "key: value", for --version and the About box.
QString describe(const RuntimeInfo &info);

// Peak resident memory of this process so far, in MiB (getrusage), for benchmarks.
double peakResidentMiB();

} // namespace redifine
