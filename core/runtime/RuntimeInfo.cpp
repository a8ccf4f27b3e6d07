#include "core/runtime/RuntimeInfo.h"

#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/runtime/BlasTuning.h"
#include "core/common/Version.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <QFileInfo>
#include <torch/version.h>

#include <QFile>
#include <QRegularExpression>

#include <mutex>
#include <set>
#include <thread>

#include <sys/resource.h>

namespace redifine {

namespace {

int threadsFromEnvironment()
{
    const QByteArray value = qgetenv("REDIFINE_THREADS");
    if (value.isEmpty())
        return 0;
    bool ok = false;
    const int threads = value.toInt(&ok);
    if (!ok || threads <= 0)
        throw InputError("REDIFINE_THREADS: expected a positive integer, got \"" + value.toStdString() + "\"");
    return threads;
}

// The BLAS actually loaded decides matrix-multiply speed (Debian's reference BLAS is several times slower
// than OpenBLAS), so report the library mapped into this process rather than what the build asked for.
QString loadedBlas()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QString text = QString::fromLocal8Bit(maps.readAll());
    static const QRegularExpression blasPath(QStringLiteral(R"((/\S*(openblas|libblas|mkl_rt|blis)\S*\.so[.\d]*))"));
    const QRegularExpressionMatch match = blasPath.match(text);
    if (!match.hasMatch())
        return QStringLiteral("none loaded");
    const QString path = match.captured(1);
    if (path.contains(QLatin1String("openblas")))
        return QStringLiteral("OpenBLAS, %1 kernels (%2)").arg(openBlasCoreName(), path);
    if (path.contains(QLatin1String("mkl")))
        return QStringLiteral("MKL (%1)").arg(path);
    return QStringLiteral("reference BLAS (%1): slow, install libopenblas0-pthread").arg(path);
}

} // namespace

int configureThreads(int threads)
{
    if (threads <= 0)
        threads = threadsFromEnvironment();
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return at::get_num_threads();
}

int parallelLoopThreads()
{
    std::mutex mutex;
    std::set<int> seen;
    const int64_t items = 4 * int64_t(at::get_num_threads());
    at::parallel_for(0, items, 1, [&](int64_t, int64_t) {
        const std::lock_guard<std::mutex> lock(mutex);
        seen.insert(at::get_thread_num());
    });
    return int(seen.size());
}

RuntimeInfo runtimeInfo()
{
    RuntimeInfo info;
    info.productVersion = QStringLiteral(REDIFINE_VERSION_STRING);
    info.torchVersion = QStringLiteral(TORCH_VERSION);
#ifdef REDIFINE_HAVE_CUDA
    info.builtWithCuda = true;
#endif
    info.cudaAvailable = torch::cuda::is_available();
    info.device = info.cudaAvailable ? QStringLiteral("cuda:0") : QStringLiteral("cpu");
    info.threads = at::get_num_threads();
    info.loopThreads = parallelLoopThreads();
    info.blas = loadedBlas();
    info.blasAdvice = blasKernelAdvice();
    const QString presets = findResource(QStringLiteral("presets"));
    info.dataDir = presets.isEmpty() ? QStringLiteral("(not found)") : QFileInfo(presets).absolutePath();
    return info;
}

QString describe(const RuntimeInfo &info)
{
    QString text;
    text += QStringLiteral("ReDiFine Studio %1\n").arg(info.productVersion);
    text += QStringLiteral("LibTorch: %1%2\n").arg(info.torchVersion,
                                                   info.builtWithCuda ? QStringLiteral(" (CUDA build)") : QString());
    text += QStringLiteral("Device: %1\n").arg(info.device);
    text += QStringLiteral("Threads: %1\n").arg(info.threads);
    if (info.loopThreads != info.threads)
        text += QStringLiteral("Threads note: the product's own parallel loops use %1 of them (a build without OpenMP "
                               "runs them on one)\n")
                    .arg(info.loopThreads);
    text += QStringLiteral("BLAS: %1\n").arg(info.blas);
    if (!info.blasAdvice.isEmpty())
        text += QStringLiteral("BLAS note: %1\n").arg(info.blasAdvice);
    text += QStringLiteral("Data: %1\n").arg(info.dataDir);
    text += QStringLiteral("Qt: %1").arg(QLatin1String(qVersion()));
    return text;
}

double peakResidentMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

} // namespace redifine
