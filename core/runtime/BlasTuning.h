#pragma once

#include <QString>

namespace redifine {

// The kernel family OpenBLAS chose ("SkylakeX", "Haswell", "Prescott", ...), or empty when the BLAS in
// use is not OpenBLAS.
QString openBlasCoreName();

// Called first thing in main(). OpenBLAS picks its kernels from the CPU model; in virtual machines whose
// CPU reports a generic model it falls back to "Prescott" (SSE3), 3-5x slower than the AVX2/AVX-512
// kernels the CPU actually runs. When that happens, this re-executes the program with OPENBLAS_CORETYPE
// set to the newest kernel family the CPU's feature flags support (OpenBLAS reads it only at load time).
// It changes nothing when OPENBLAS_CORETYPE is already set (a user's or an administrator's choice,
// sometimes made for correctness), when REDIFINE_BLAS_AUTOTUNE=0, or when the choice was already right.
void selectBlasKernelsOrReexec(char **argv);

} // namespace redifine
