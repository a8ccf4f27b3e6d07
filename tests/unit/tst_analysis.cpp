// Spectra, fingerprints, pixel indicators, histograms and t-SNE against known answers.
#include "core/analysis/Fingerprint.h"
#include "core/analysis/Histogram.h"
#include "core/analysis/PixelIndicators.h"
#include "core/analysis/Spectrum.h"
#include "core/analysis/Tsne.h"
#include "core/common/Error.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace redifine;

namespace {

PlaneStack stack(int count, int channels, int height, int width, const std::function<double(int n, int c, int y, int x)> &f)
{
    PlaneStack s;
    s.count = count;
    s.channels = channels;
    s.height = height;
    s.width = width;
    s.values.resize(size_t(count) * channels * height * width);
    for (int n = 0; n < count; ++n)
        for (int c = 0; c < channels; ++c)
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    s.plane(n, c)[size_t(y) * width + x] = f(n, c, y, x);
    return s;
}

double gaussianSample(QRandomGenerator &rng)
{
    const double u1 = 1.0 - rng.generateDouble(), u2 = rng.generateDouble();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

PlaneStack whiteNoise(int count, int size, quint32 seed)
{
    QRandomGenerator rng(seed);
    return stack(count, 3, size, size, [&](int, int, int, int) { return gaussianSample(rng); });
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sinusoidPeaksInItsRadialAndAngularBins_data()
    {
        QTest::addColumn<bool>("vertical");
        QTest::addColumn<int>("firstAngularBin");
        QTest::addColumn<int>("secondAngularBin");
        // 8 cycles over 64 pixels: 0.125 cycles per pixel, radial bin 8; along x the frequencies (0, +-0.125)
        // lie at angles 0 and pi (bins 8 and 0 of 16 over [-pi, pi)), along y at +-pi/2 (bins 12 and 4).
        QTest::addRow("along x") << false << 8 << 0;
        QTest::addRow("along y") << true << 12 << 4;
    }
    void sinusoidPeaksInItsRadialAndAngularBins()
    {
        QFETCH(bool, vertical);
        QFETCH(int, firstAngularBin);
        QFETCH(int, secondAngularBin);
        const PlaneStack s = stack(2, 3, 64, 64, [&](int, int, int y, int x) {
            return 0.5 + 0.4 * std::sin(2 * M_PI * 8 * (vertical ? y : x) / 64.0);
        });
        const PowerSpectrum p = powerSpectrum(s);
        // Standardised to unit RMS, an orthonormal FFT keeps the energy: H W = 4096, all of it at r = 0.125.
        QCOMPARE(p.radialFrequency[8], 0.125);
        QVERIFY(std::abs(p.radialMean[8] - 4096.0) < 1e-6);
        for (size_t b = 0; b < p.radialMean.size(); ++b)
            if (b != 8)
                QVERIFY2(p.radialMean[b] < 1e-9, qPrintable(QString::number(b)));
        QVERIFY(std::abs(p.angularMean[firstAngularBin] - 2048.0) < 1e-6);
        QVERIFY(std::abs(p.angularMean[secondAngularBin] - 2048.0) < 1e-6);
        QCOMPARE(p.radialSpread[8] < 1e-6, true);
        // The 2-D spectrum, shifted: zero frequency at (32, 32), peaks 8 bins away along the wave.
        const size_t peak = vertical ? size_t(32 + 8) * 64 + 32 : size_t(32) * 64 + 32 + 8;
        QVERIFY(std::abs(p.average[peak] - 2048.0) < 1e-6);
        QCOMPARE(p.highFrequencyRatio(0.25)[0], 0.0);
        QCOMPARE(p.highFrequencyRatio(0.1)[0], 1.0);
    }

    void whiteNoiseHasAFlatRadialProfile()
    {
        const PowerSpectrum p = powerSpectrum(whiteNoise(64, 64, 7));
        // Unit variance in, so the mean power per frequency is 1 (up to the mean removal of one of 4096).
        for (size_t b = 1; b < p.radialMean.size(); ++b) {
            const double perFrequency = p.radialMean[b] / p.radialCount[b];
            QVERIFY2(std::abs(perFrequency - 1.0) < 0.15, qPrintable(QStringLiteral("bin %1: %2").arg(b).arg(perFrequency)));
        }
        int counted = 0;
        for (int c : p.radialCount)
            counted += c;
        QCOMPARE(counted, 64 * 64);
    }

    void autocorrelationOfWhiteNoiseIsADelta()
    {
        AveragePowerAccumulator power;
        power.add(whiteNoise(32, 64, 3));
        const std::vector<double> a = autocorrelationOfPower(power.result(), 64, 64);
        QCOMPARE(a[size_t(32) * 64 + 32], 1.0);
        double largestElsewhere = 0.0;
        for (size_t i = 0; i < a.size(); ++i)
            if (i != size_t(32) * 64 + 32)
                largestElsewhere = std::max(largestElsewhere, std::abs(a[i]));
        QVERIFY2(largestElsewhere < 0.05, qPrintable(QString::number(largestElsewhere)));
    }

    void fingerprintFindsAPeriodicTrace()
    {
        // A period-4 pattern along x, which a 3x3 median removes entirely, under weak noise: the residual's
        // autocorrelation is +1-like at lag 4 and -1-like at lag 2.
        QRandomGenerator rng(11);
        const int period[4] = {1, 0, -1, 0};
        const PlaneStack s = stack(8, 3, 64, 64, [&](int, int, int, int x) { return 0.5 + 0.2 * period[x % 4] + 0.02 * gaussianSample(rng); });
        FingerprintAnalysis analysis;
        analysis.add(s);
        const Fingerprint f = analysis.result();
        const auto lag = [&](int dx) { return f.autocorrelation[size_t(32) * 64 + 32 + dx]; };
        QCOMPARE(lag(0), 1.0);
        QVERIFY2(lag(4) > 0.8, qPrintable(QString::number(lag(4))));
        QVERIFY2(lag(2) < -0.8, qPrintable(QString::number(lag(2))));
        // The residual spectrum, normalised by its mean, peaks at 0.25 cycles per pixel along x.
        const auto at = [&](int fy, int fx) { return f.powerSpectrum[size_t(32 + fy) * 64 + 32 + fx]; };
        QVERIFY(at(0, 16) > 100.0);
        int side = 0;
        QCOMPARE(int(cropCentre(f.autocorrelation, 64, 64, 32, &side).size()), 63 * 63);
        QCOMPARE(side, 63);
    }

    void pixelIndicatorsOfConstructedImages()
    {
        // Left half pure red, right half pure blue: rg = (255, 0), yb = (127.5, -255).
        const PlaneStack redBlue = stack(1, 3, 8, 8, [](int, int c, int, int x) {
            return (x < 4) ? (c == 0 ? 1.0 : 0.0) : (c == 2 ? 1.0 : 0.0);
        });
        const PixelIndicators p = pixelIndicators(redBlue)[0];
        const double expected = std::sqrt(127.5 * 127.5 + 191.25 * 191.25) + 0.3 * std::sqrt(127.5 * 127.5 + 63.75 * 63.75);
        QVERIFY(std::abs(p.colourfulness - expected) < 1e-9);
        QCOMPARE(p.saturation, 1.0);
        QCOMPARE(p.clippedShare, 1.0);

        const PlaneStack grey = stack(1, 3, 8, 8, [](int, int, int, int) { return 0.5; });
        const PixelIndicators g = pixelIndicators(grey)[0];
        QCOMPARE(g.colourfulness, 0.0);
        QCOMPARE(g.saturation, 0.0);
        QCOMPARE(g.clippedShare, 0.0);
        QCOMPARE(g.sharpness, 0.0);
        QCOMPARE(g.highFrequencyRatio, 0.0);

        // A one-pixel black and white checkerboard: the Laplacian is +-4 x 255 everywhere (reflected borders
        // keep the pattern), so its variance is 1020^2; all power sits at (0.5, 0.5) cycles per pixel.
        const PlaneStack checker = stack(1, 3, 8, 8, [](int, int, int y, int x) { return double((x + y) % 2); });
        const PixelIndicators c = pixelIndicators(checker)[0];
        QVERIFY(std::abs(c.sharpness - 1020.0 * 1020.0) < 1e-6);
        QCOMPARE(c.highFrequencyRatio, 1.0);

        const PixelIndicatorSummary summary = summarise({g, c});
        QCOMPARE(summary.mean.sharpness, 1020.0 * 1020.0 / 2.0);
        QVERIFY(std::abs(summary.spread.sharpness - 1020.0 * 1020.0 / std::sqrt(2.0)) < 1e-6);
    }

    void histogramCountsIntoSharedEdges()
    {
        const std::vector<double> edges = equalEdges(0.0, 4.0, 4);
        QCOMPARE(edges, (std::vector<double>{0.0, 1.0, 2.0, 3.0, 4.0}));
        const double values[] = {-1.0, 0.0, 0.5, 1.0, 3.99, 4.0, 7.0};
        const Histogram h = histogram(values, 7, edges);
        // Bins [0,1): 0, 0.5; [1,2): 1; [3,4]: 3.99 and 4.0 (the last edge belongs to the last bin).
        QCOMPARE(h.density, (std::vector<double>{2.0 / 7, 1.0 / 7, 0.0, 2.0 / 7}));
        QCOMPARE(h.below, 1LL);
        QCOMPARE(h.above, 1LL);
        const double nan[] = {std::nan("")};
        QVERIFY_THROWS_EXCEPTION(InputError, histogram(nan, 1, edges));
        QVERIFY_THROWS_EXCEPTION(InputError, equalEdges(1.0, 1.0, 3));
    }

    void tsneSeparatesClusters()
    {
        // Three tight clusters far apart in 10 dimensions, 40 points each.
        QRandomGenerator rng(5);
        NpyArray x;
        x.shape = {120, 10};
        for (int i = 0; i < 120; ++i)
            for (int d = 0; d < 10; ++d)
                x.values.push_back((d == i / 40 ? 20.0 : 0.0) + gaussianSample(rng));
        TsneOptions options;
        options.perplexity = 10;
        options.iterations = 500;
        options.seed = 1;
        int lastIteration = 0;
        const std::vector<double> y = tsne(x, options, [&](int iteration) { lastIteration = iteration; });
        QCOMPARE(lastIteration, 500);
        QCOMPARE(y.size(), size_t(240));
        const double t = trustworthiness(x, y, 2, 5);
        QVERIFY2(t > 0.9, qPrintable(QString::number(t)));
        // Every point's nearest neighbour in the embedding belongs to its own cluster.
        for (int i = 0; i < 120; ++i) {
            int nearest = -1;
            double best = 1e300;
            for (int j = 0; j < 120; ++j) {
                const double d = std::hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            QCOMPARE(nearest / 40, i / 40);
        }
        // Seeded: the same seed gives the same embedding; theta = 0 (exact) agrees in quality.
        QCOMPARE(tsne(x, options), y);
        options.theta = 0.0;
        QVERIFY(trustworthiness(x, tsne(x, options), 2, 5) > 0.9);
    }

    void trustworthinessKnownAnswers()
    {
        // A 2-D set embedded as itself keeps every neighbourhood: 1.
        QRandomGenerator rng(2);
        NpyArray x;
        x.shape = {30, 2};
        for (int i = 0; i < 60; ++i)
            x.values.push_back(rng.generateDouble());
        QCOMPARE(trustworthiness(x, x.values, 2, 5), 1.0);
    }

    void badInputIsRefused()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, SpectrumAnalysis().result());
        SpectrumAnalysis analysis;
        analysis.add(whiteNoise(1, 16, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, analysis.add(whiteNoise(1, 8, 1)));
        QVERIFY_THROWS_EXCEPTION(InputError, planesFromImages({}, QStringLiteral("none")));
        QVERIFY_THROWS_EXCEPTION(InputError, planesFromImages({QImage(4, 4, QImage::Format_RGB888), QImage(5, 4, QImage::Format_RGB888)},
                                                              QStringLiteral("mixed")));
        NpyArray three;
        three.shape = {3, 2};
        three.values = {0, 1, 2, 3, 4, 5};
        QVERIFY_THROWS_EXCEPTION(InputError, tsne(three));
        NpyArray withNan;
        withNan.shape = {40, 1};
        withNan.values.assign(40, 0.0);
        withNan.values[7] = std::nan("");
        TsneOptions options;
        options.perplexity = 5;
        QVERIFY_THROWS_EXCEPTION(InputError, tsne(withNan, options));
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
