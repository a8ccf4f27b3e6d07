#pragma once

#include <QString>

namespace redifine {

// The kernel family OpenBLAS chose ("SkylakeX", "Haswell", "Prescott", ...), or empty when the BLAS in
// use is not OpenBLAS.
QString openBlasCoreName();

// The newest OpenBLAS kernel family this CPU's feature flags support ("SkylakeX" for AVX-512 F/BW/VL/DQ,
// "Haswell" for AVX2 + FMA), Intel or AMD alike; empty elsewhere.
QString bestSupportedCoreName();

// True when the CPU multiplies bf16 natively (AVX-512 BF16: AMD Zen 4, Intel Cooper Lake and later), where
// cpu_matmuls = bf16 pays; elsewhere bf16 products are emulated and slower than float32.
bool cpuHasNativeBf16();

// The cpu_matmuls setting ("fp32", the default, or "bf16"), read in one place for chain settings, `generate`
// and `bench`: true for "bf16", false for "fp32", an InputError naming `field` for anything else.
bool cpuMatmulsIsBf16(const QString &value, const QString &field);
// The setting's name for a choice, as settings, reports and benchmark files write it.
QString cpuMatmulsName(bool bf16);

// When `current` kernels are of an older family than `best`: one sentence saying so and how to change it
// (`chosenByEnvironment`: OPENBLAS_CORETYPE came from the user's environment, a choice that is kept); else empty.
QString kernelAdvice(const QString &current, const QString &best, bool chosenByEnvironment);
// kernelAdvice() for this process, for `redifine info`, `bench` and the studio's status bar.
QString blasKernelAdvice();

// Called first thing in main(). OpenBLAS picks its kernels from the CPU model; in virtual machines whose
// CPU reports a generic model it falls back to "Prescott" (SSE3), 3-5x slower than the AVX2/AVX-512
// kernels the CPU actually runs. When that happens, this re-executes the program with OPENBLAS_CORETYPE
// set to the newest kernel family the CPU's feature flags support (OpenBLAS reads it only at load time).
// It changes nothing when OPENBLAS_CORETYPE is already set (a user's or an administrator's choice,
// sometimes made for correctness), when REDIFINE_BLAS_AUTOTUNE=0, or when the choice was already right.
void selectBlasKernelsOrReexec(char **argv);

} // namespace redifine
