// Feature metrics against closed forms and hand-computed answers.
#include "core/common/Error.h"
#include "core/metrics/FeatureExtractor.h"
#include "core/metrics/FeatureMetrics.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using namespace redifine;

namespace {

NpyArray matrix(int64_t rows, int64_t columns, std::vector<double> values)
{
    NpyArray a;
    a.shape = {rows, columns};
    a.values = std::move(values);
    return a;
}

NpyArray gaussian(int64_t n, const std::vector<double> &mean, const std::vector<double> &std, quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i)
        for (size_t j = 0; j < mean.size(); ++j) {
            // Box-Muller
            const double u1 = 1.0 - rng.generateDouble(), u2 = rng.generateDouble();
            values.push_back(mean[j] + std[j] * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2));
        }
    return matrix(n, int64_t(mean.size()), values);
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT
private slots:
    void fdInfinityRemovesTheSmallSampleBias();
    void clipScoreKnownAnswers();
    void tinyClipExtractorGivesOneRowPerImage();
    void extractorSpecsAreChecked();
    void fdOfASetWithItselfIsZero();
    void fdMatchesHandComputedSampleStatistics();
    void fdOfGaussiansMatchesClosedForm();
    void kidKnownAnswer();
    void prdcKnownAnswer();
    void vendiOfIdenticalAndOrthogonalRows();
    void sfdPairsRows();
    void badInputIsRefused();
};

void TestMetrics::fdOfASetWithItselfIsZero()
{
    const NpyArray x = gaussian(200, {0, 1, 2, 3, 4}, {1, 2, 1, 0.5, 3}, 1);
    const FrechetResult r = frechetDistance(x, x);
    QVERIFY2(r.fd < 1e-9, qPrintable(QString::number(r.fd)));
}

void TestMetrics::fdMatchesHandComputedSampleStatistics()
{
    // X: the four corners of a square (mean 0, covariance 4/3 I with N - 1); Y = 3 X + (2, 0).
    // FD = |(2, 0)|^2 + tr(4/3 I) + tr(12 I) - 2 tr sqrt(16 I) = 4 + 8/3 + 24 - 16 = 44/3.
    const NpyArray x = matrix(4, 2, {1, 1, 1, -1, -1, 1, -1, -1});
    const NpyArray y = matrix(4, 2, {5, 3, 5, -3, -1, 3, -1, -3});
    const FrechetResult r = frechetDistance(x, y);
    QVERIFY(std::abs(r.fd - 44.0 / 3.0) < 1e-10);
    QVERIFY(std::abs(r.traceSqrt - 8.0) < 1e-10);
    QVERIFY(std::abs(r.traceSqrtEigenvalues - r.traceSqrt) < 1e-9);
}

void TestMetrics::fdOfGaussiansMatchesClosedForm()
{
    // N(0, I) against N(mu, 4 I) in 4-D: |mu|^2 + sum (1 + 4 - 2 * 2) = |mu|^2 + 4.
    const NpyArray x = gaussian(20000, {0, 0, 0, 0}, {1, 1, 1, 1}, 7);
    const NpyArray y = gaussian(20000, {1, 0, 2, 0}, {2, 2, 2, 2}, 8);
    const FrechetResult r = frechetDistance(x, y);
    QVERIFY2(std::abs(r.fd - 9.0) < 0.15, qPrintable(QString::number(r.fd)));
    QVERIFY(std::abs(r.traceSqrtEigenvalues - r.traceSqrt) < 1e-6 * r.traceSqrt);
}

void TestMetrics::kidKnownAnswer()
{
    // d = 1, X = {0, 0}, Y = {1, 1}: k(x, y) = (x y + 1)^3. Unbiased MMD^2 = 1 + 8 - 2 * 1 = 7.
    const NpyArray x = matrix(2, 1, {0, 0});
    const NpyArray y = matrix(2, 1, {1, 1});
    QCOMPARE(kernelDistance(x, y, 10, 1000, 3), 7.0);
    // Unbiased: over independent pairs of samples of one distribution the estimates average to about 0,
    // while a shifted distribution stands far above.
    double sum = 0.0;
    for (quint32 pair = 0; pair < 40; ++pair)
        sum += kernelDistance(gaussian(100, {0, 0, 0}, {1, 1, 1}, 100 + pair), gaussian(100, {0, 0, 0}, {1, 1, 1}, 200 + pair), 1, 100);
    QVERIFY2(std::abs(sum / 40) < 0.05, qPrintable(QString::number(sum / 40)));
    const double shifted = kernelDistance(gaussian(100, {0, 0, 0}, {1, 1, 1}, 1), gaussian(100, {2, 0, 0}, {1, 1, 1}, 2), 1, 100);
    QVERIFY2(shifted > 1.0, qPrintable(QString::number(shifted)));
}

void TestMetrics::prdcKnownAnswer()
{
    // k = 1. Real {0, 1, 10, 11}: every radius 1. Fake {0.5, 5, 10.5, 20}: radii 4.5, 4.5, 5.5, 9.5.
    // Precision: 0.5 and 10.5 fall in real balls -> 1/2. Recall: every real point lies in a fake ball -> 1.
    // Density: 0.5 lies in two real balls, 10.5 in two -> 4 / (1 * 4) = 1. Coverage: every real point has
    // a fake point within its radius -> 1.
    const PrdcResult r = precisionRecallDensityCoverage(matrix(4, 1, {0, 1, 10, 11}), matrix(4, 1, {0.5, 5, 10.5, 20}), 1);
    QCOMPARE(r.precision, 0.5);
    QCOMPARE(r.recall, 1.0);
    QCOMPARE(r.density, 1.0);
    QCOMPARE(r.coverage, 1.0);
    // Fake points far from everything: nothing is precise or covered.
    const PrdcResult far = precisionRecallDensityCoverage(matrix(4, 1, {0, 1, 10, 11}), matrix(4, 1, {100, 101, 102, 103}), 1);
    QCOMPARE(far.precision, 0.0);
    QCOMPARE(far.coverage, 0.0);
    QCOMPARE(far.density, 0.0);
}

void TestMetrics::vendiOfIdenticalAndOrthogonalRows()
{
    QVERIFY(std::abs(vendiScore(matrix(3, 2, {1, 2, 1, 2, 2, 4})) - 1.0) < 1e-9);
    QVERIFY(std::abs(vendiScore(matrix(3, 3, {1, 0, 0, 0, 2, 0, 0, 0, 5})) - 3.0) < 1e-9);
}

void TestMetrics::sfdPairsRows()
{
    // Distances 5 and 0 -> mean 2.5.
    QCOMPARE(sampleFeatureDistance(matrix(2, 2, {0, 0, 1, 1}), matrix(2, 2, {3, 4, 1, 1})), 2.5);
    QVERIFY_THROWS_EXCEPTION(InputError, sampleFeatureDistance(matrix(2, 2, {0, 0, 1, 1}), matrix(1, 2, {3, 4})));
}

void TestMetrics::badInputIsRefused()
{
    const NpyArray good = matrix(3, 2, {1, 2, 3, 4, 5, 7});
    QVERIFY_THROWS_EXCEPTION(InputError, frechetDistance(matrix(0, 2, {}), good));
    QVERIFY_THROWS_EXCEPTION(InputError, frechetDistance(matrix(1, 2, {1, 2}), good));
    QVERIFY_THROWS_EXCEPTION(InputError, frechetDistance(matrix(2, 2, {1, std::numeric_limits<double>::quiet_NaN(), 3, 4}), good));
    QVERIFY_THROWS_EXCEPTION(InputError, frechetDistance(matrix(2, 3, {1, 2, 3, 4, 5, 6}), good));
    QVERIFY_THROWS_EXCEPTION(InputError, precisionRecallDensityCoverage(good, good, 5));
}

void TestMetrics::clipScoreKnownAnswers()
{
    // Same direction: 100; orthogonal: 0; opposite pairs pull the mean below 0, which is clamped.
    QCOMPARE(clipScore(matrix(1, 2, {3, 4}), matrix(1, 2, {6, 8})), 100.0);
    QCOMPARE(clipScore(matrix(2, 2, {1, 0, 0, 1}), matrix(2, 2, {1, 0, 1, 0})), 50.0);
    QCOMPARE(clipScore(matrix(1, 2, {1, 0}), matrix(1, 2, {-1, 0})), 0.0);
    QVERIFY_THROWS_EXCEPTION(InputError, clipScore(matrix(1, 2, {0, 0}), matrix(1, 2, {1, 0})));
    QVERIFY_THROWS_EXCEPTION(InputError, clipScore(matrix(2, 2, {1, 0, 0, 1}), matrix(1, 2, {1, 0})));
}

void TestMetrics::tinyClipExtractorGivesOneRowPerImage()
{
    const std::unique_ptr<FeatureExtractor> extractor = makeFeatureExtractor(QStringLiteral("tiny-clip"));
    QImage red(64, 64, QImage::Format_RGB888), big(200, 120, QImage::Format_RGB888);
    red.fill(Qt::red);
    big.fill(Qt::red);
    const NpyArray features = extractor->imageFeatures({red, big, red});
    QCOMPARE(features.rows(), 3);
    QCOMPARE(features.columns(), 256);
    // The same picture gives the same row (up to the BLAS's batch-position rounding); a larger flat red
    // image resizes (antialiased) to the same input.
    for (int64_t j = 0; j < 256; ++j) {
        QVERIFY(std::abs(features.values[size_t(j)] - features.values[size_t(512 + j)]) < 1e-5);
        QVERIFY(std::abs(features.values[size_t(j)] - features.values[size_t(256 + j)]) < 1e-4);
    }
    QVERIFY(extractor->hasText());
    QCOMPARE(extractor->textFeatures({QStringLiteral("red apple"), QStringLiteral("cat face")}).rows(), 2);
}

void TestMetrics::extractorSpecsAreChecked()
{
    try {
        makeFeatureExtractor(QStringLiteral("tiny-clip:/nonexistent/clip.safetensors"));
        QFAIL("accepted a missing file");
    } catch (const InputError &error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("/nonexistent/clip.safetensors")), error.what());
    }
    QVERIFY_THROWS_EXCEPTION(InputError, makeFeatureExtractor(QStringLiteral("inception")));
}

void TestMetrics::fdInfinityRemovesTheSmallSampleBias()
{
    // N(0, I) against N(0.5, I) in 16 dimensions: the true FD is 16 x 0.25 = 4. FD of 300 samples is biased
    // upward by the covariance estimate; the extrapolation to infinitely many samples removes most of it.
    const NpyArray reference = gaussian(20000, std::vector<double>(32, 0.0), std::vector<double>(32, 1.0), 3);
    const NpyArray current = gaussian(200, std::vector<double>(32, 0.5), std::vector<double>(32, 1.0), 4);
    const double fd = frechetDistance(reference, current).fd;
    const double infinity = frechetDistanceInfinity(reference, current);
    QVERIFY2(std::abs(infinity - 8.0) < 0.5 * std::abs(fd - 8.0), qPrintable(QStringLiteral("FD %1, FD-inf %2").arg(fd).arg(infinity)));
    QVERIFY(fd > 8.0);
    QVERIFY_THROWS_EXCEPTION(InputError, frechetDistanceInfinity(reference, gaussian(9, std::vector<double>(16, 0.0), std::vector<double>(16, 1.0), 5)));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
