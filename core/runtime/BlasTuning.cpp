#include "core/runtime/BlasTuning.h"

#include "core/common/Error.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace redifine {

namespace {

// Kernel families in order of the instruction sets they use.
int generation(const QString &core)
{
    if (core == QLatin1String("SkylakeX") || core == QLatin1String("Cooperlake") || core == QLatin1String("SapphireRapids"))
        return 3;
    if (core == QLatin1String("Haswell") || core == QLatin1String("Zen"))
        return 2;
    if (core == QLatin1String("Sandybridge"))
        return 1;
    return 0;
}

const char *bestSupportedCore()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return "Haswell";
#endif
    return nullptr;
}

} // namespace

QString bestSupportedCoreName()
{
    const char *best = bestSupportedCore();
    return best ? QString::fromLatin1(best) : QString();
}

bool cpuHasNativeBf16()
{
#if defined(__x86_64__) && defined(__GNUC__)
    return __builtin_cpu_supports("avx512bf16");
#else
    return false;
#endif
}

bool cpuMatmulsIsBf16(const QString &value, const QString &field)
{
    if (value == cpuMatmulsName(false))
        return false;
    if (value == cpuMatmulsName(true))
        return true;
    throw InputError(QStringLiteral("%1: must be fp32 or bf16, not \"%2\"").arg(field, value).toStdString());
}

QString cpuMatmulsName(bool bf16)
{
    return bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

QString kernelAdvice(const QString &current, const QString &best, bool chosenByEnvironment)
{
    if (current.isEmpty() || best.isEmpty() || generation(best) <= generation(current))
        return {};
    const QString how = chosenByEnvironment
                            ? QStringLiteral("OPENBLAS_CORETYPE=%1 is set in the environment; unset it (or set OPENBLAS_CORETYPE=%2) unless it "
                                             "was set because this OpenBLAS build misbehaves with the newer kernels")
                                  .arg(current, best)
                            : QStringLiteral("set OPENBLAS_CORETYPE=%1 (REDIFINE_BLAS_AUTOTUNE=0 keeps the slower choice)").arg(best);
    return QStringLiteral("OpenBLAS runs its %1 kernels, but this CPU supports %2 ones (up to 2x faster matrix multiplies): %3")
        .arg(current, best, how);
}

QString blasKernelAdvice()
{
    const bool ours = std::getenv("REDIFINE_BLAS_REEXECUTED") != nullptr;
    return kernelAdvice(openBlasCoreName(), bestSupportedCoreName(), std::getenv("OPENBLAS_CORETYPE") != nullptr && !ours);
}

QString openBlasCoreName()
{
    using CoreName = char *(*)();
    const auto function = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    return function ? QString::fromLatin1(function()).trimmed() : QString();
}

void selectBlasKernelsOrReexec(char **argv)
{
    if (std::getenv("OPENBLAS_CORETYPE") || std::getenv("REDIFINE_BLAS_REEXECUTED"))
        return;
    const char *autotune = std::getenv("REDIFINE_BLAS_AUTOTUNE");
    if (autotune && std::strcmp(autotune, "0") == 0)
        return;
    const QString current = openBlasCoreName();
    const char *best = bestSupportedCore();
    if (current.isEmpty() || !best || generation(QLatin1String(best)) <= generation(current))
        return;
    setenv("OPENBLAS_CORETYPE", best, 1);
    setenv("REDIFINE_BLAS_REEXECUTED", "1", 1);   // never loop, even if the exec'd program sees the same core
    execv("/proc/self/exe", argv);
    // exec failed: carry on with the slower kernels rather than not at all.
    unsetenv("OPENBLAS_CORETYPE");
}

} // namespace redifine
