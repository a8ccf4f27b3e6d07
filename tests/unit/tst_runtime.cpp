#include "core/common/Error.h"
#include "core/common/Version.h"
#include "core/runtime/Allocator.h"
#include "core/runtime/BlasTuning.h"
#include "core/runtime/MatmulBench.h"
#include "core/runtime/RuntimeInfo.h"

#include <QTest>

#include <cstdlib>
#include <malloc.h>
#include <thread>

class TestRuntime : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void threadsAreConfigurable();
    void ownParallelLoopsUseEveryThread();
    void threadsFromEnvironment();
    void badEnvironmentIsAnInputError();
    void infoNamesVersionsAndDevice();
    void matmulRateIsPlausible();
    void weakerKernelsAreNamed_data();
    void weakerKernelsAreNamed();
    void freedTensorMemoryStaysForReuse();
};

void TestRuntime::threadsAreConfigurable()
{
    QCOMPARE(redifine::configureThreads(1), 1);
    QCOMPARE(redifine::runtimeInfo().threads, 1);
    QCOMPARE(redifine::configureThreads(2), 2);
}

void TestRuntime::ownParallelLoopsUseEveryThread()
{
    // The fused operators, attention heads, AdamW and spectra loop with at::parallel_for, which forks only where
    // core was compiled with OpenMP; without it they all ran on one thread and nothing else showed it.
    QCOMPARE(redifine::configureThreads(1), 1);
    QCOMPARE(redifine::parallelLoopThreads(), 1);
    QCOMPARE(redifine::configureThreads(3), 3);
    QCOMPARE(redifine::parallelLoopThreads(), 3);
    QCOMPARE(redifine::runtimeInfo().loopThreads, 3);
    QVERIFY(!redifine::describe(redifine::runtimeInfo()).contains(QStringLiteral("Threads note")));
    redifine::configureThreads(2);
}

void TestRuntime::threadsFromEnvironment()
{
    qputenv("REDIFINE_THREADS", "3");
    QCOMPARE(redifine::configureThreads(0), 3);
    qunsetenv("REDIFINE_THREADS");
    // Default: every core (the point: Debian's LibTorch would otherwise stay at one).
    QCOMPARE(redifine::configureThreads(0), int(std::max(1u, std::thread::hardware_concurrency())));
}

void TestRuntime::badEnvironmentIsAnInputError()
{
    qputenv("REDIFINE_THREADS", "many");
    QVERIFY_THROWS_EXCEPTION(redifine::InputError, redifine::configureThreads(0));
    qunsetenv("REDIFINE_THREADS");
}

void TestRuntime::infoNamesVersionsAndDevice()
{
    const redifine::RuntimeInfo info = redifine::runtimeInfo();
    QCOMPARE(info.productVersion, QStringLiteral(REDIFINE_VERSION_STRING));
    QVERIFY(info.torchVersion.contains(QRegularExpression(QStringLiteral(R"(^\d+\.\d+)"))));
    QCOMPARE(info.device, info.cudaAvailable ? QStringLiteral("cuda:0") : QStringLiteral("cpu"));
    const QString text = redifine::describe(info);
    QVERIFY(text.contains(QStringLiteral("LibTorch: ") + info.torchVersion));
    QVERIFY(text.contains(QStringLiteral("Threads: %1").arg(info.threads)));
}

void TestRuntime::matmulRateIsPlausible()
{
    const redifine::MatmulRate rate = redifine::measureMatmulRate(128, 2);
    QCOMPARE(rate.size, 128);
    QVERIFY(rate.seconds > 0.0);
    // 2 n^3 flops over the measured time, by definition.
    QVERIFY(std::abs(rate.gflops - 2.0 * 128 * 128 * 128 / rate.seconds / 1e9) < 1e-9 * rate.gflops);
}

QTEST_GUILESS_MAIN(TestRuntime)
// The kernel advice compares families, not vendors: AMD's Zen kernels are Haswell-class, and an AVX-512 Zen 4
// (best: SkylakeX) running them is told so, as an Intel CPU running Haswell kernels is.
void TestRuntime::weakerKernelsAreNamed_data()
{
    QTest::addColumn<QString>("current");
    QTest::addColumn<QString>("best");
    QTest::addColumn<bool>("fromEnvironment");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("Haswell forced on AVX-512") << "Haswell" << "SkylakeX" << true << "OPENBLAS_CORETYPE=Haswell is set in the environment";
    QTest::addRow("Zen on AVX-512 (AMD)") << "Zen" << "SkylakeX" << false << "set OPENBLAS_CORETYPE=SkylakeX";
    QTest::addRow("Prescott in a VM with AVX2") << "Prescott" << "Haswell" << false << "Prescott kernels";
    QTest::addRow("best already") << "SkylakeX" << "SkylakeX" << true << "";
    QTest::addRow("Zen on AVX2 (AMD)") << "Zen" << "Haswell" << false << "";
    QTest::addRow("Cooperlake above SkylakeX") << "Cooperlake" << "SkylakeX" << true << "";
    QTest::addRow("not OpenBLAS") << "" << "SkylakeX" << false << "";
}

void TestRuntime::weakerKernelsAreNamed()
{
    QFETCH(QString, current);
    QFETCH(QString, best);
    QFETCH(bool, fromEnvironment);
    QFETCH(QString, mentions);
    const QString advice = redifine::kernelAdvice(current, best, fromEnvironment);
    if (mentions.isEmpty())
        QVERIFY2(advice.isEmpty(), qPrintable(advice));
    else
        QVERIFY2(advice.contains(mentions), qPrintable(advice));
}

// As in main(): before any other thread exists, because glibc fixes its arena limit at a thread's first malloc.
void TestRuntime::initTestCase()
{
    redifine::keepFreedMemoryForReuse();
}

namespace {

// How many bytes glibc served with a fresh mmap() for a block of this size, allocated and freed on the calling thread.
size_t mappedForBlock(size_t bytes)
{
    const size_t mappedBefore = mallinfo2().hblkhd;
    void *block = std::malloc(bytes);
    const size_t mapped = mallinfo2().hblkhd - mappedBefore;
    std::free(block);
    return block ? mapped : bytes;
}

} // namespace

// Activation blocks (16 MiB: a batch of activations; 400 MiB: a pretraining batch's attention scores) come from
// the heap, not from a fresh mmap that free() unmaps and the next step faults in again, on the main thread and
// on a worker thread like the studio's chain runner (whose own arena could not hold a block above 64 MiB).
void TestRuntime::freedTensorMemoryStaysForReuse()
{
    if (qEnvironmentVariableIsSet("GLIBC_TUNABLES"))
        QSKIP("GLIBC_TUNABLES is set here: the user's malloc settings win");
    QCOMPARE(mappedForBlock(16u << 20), size_t(0));
    QCOMPARE(mappedForBlock(400u << 20), size_t(0));
    size_t mappedOnWorker = 1;
    std::thread worker([&] { mappedOnWorker = mappedForBlock(400u << 20); });
    worker.join();
    QCOMPARE(mappedOnWorker, size_t(0));
}

#include "tst_runtime.moc"
