#include "core/bench/AnalysisBenchmark.h"

#include "core/analysis/Fingerprint.h"
#include "core/analysis/Spectrum.h"
#include "core/analysis/Tsne.h"
#include "core/metrics/FeatureMetrics.h"

#include <chrono>
#include <random>

namespace redifine {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Slices of 32 images as the CLI streams them: smooth gradients plus noise, in [0, 1].
PlaneStack syntheticSlice(int count, int size, std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> noise(-0.1, 0.1);
    PlaneStack s;
    s.count = count;
    s.channels = 3;
    s.height = s.width = size;
    s.values.resize(size_t(count) * 3 * s.planeSize());
    for (size_t i = 0; i < s.values.size(); ++i)
        s.values[i] = 0.5 + 0.3 * double(i % size_t(size)) / size + noise(rng);
    return s;
}

NpyArray gaussianRows(int rows, int columns, double shift, std::mt19937_64 &rng)
{
    std::normal_distribution<double> normal(shift, 1.0);
    NpyArray a;
    a.shape = {rows, columns};
    a.values.resize(size_t(rows) * columns);
    for (double &v : a.values)
        v = normal(rng);
    return a;
}

} // namespace

QJsonObject runAnalysisBenchmarks(const AnalysisBenchmarkOptions &o)
{
    std::mt19937_64 rng(1);
    SpectrumAnalysis spectrum;
    FingerprintAnalysis fingerprint;
    double spectrumSeconds = 0.0, fingerprintSeconds = 0.0;
    for (int first = 0; first < o.images; first += 32) {
        const PlaneStack slice = syntheticSlice(std::min(32, o.images - first), o.size, rng);
        auto start = Clock::now();
        spectrum.add(slice);
        spectrumSeconds += since(start);
        start = Clock::now();
        fingerprint.add(slice);
        fingerprintSeconds += since(start);
    }
    auto start = Clock::now();
    spectrum.result();
    fingerprint.result();
    const double resultSeconds = since(start);

    const NpyArray a = gaussianRows(o.fdRows, o.fdColumns, 0.0, rng), b = gaussianRows(o.fdRows, o.fdColumns, 0.1, rng);
    start = Clock::now();
    frechetDistance(a, b);
    const double fdSeconds = since(start);

    const NpyArray points = gaussianRows(o.tsnePoints, o.tsneColumns, 0.0, rng);
    start = Clock::now();
    tsne(points);
    const double tsneSeconds = since(start);

    return QJsonObject{
        {QStringLiteral("spectra_and_fingerprints"),
         QJsonObject{{QStringLiteral("images"), o.images},
                     {QStringLiteral("size"), o.size},
                     {QStringLiteral("spectrum_seconds"), spectrumSeconds},
                     {QStringLiteral("fingerprint_seconds"), fingerprintSeconds + resultSeconds},
                     {QStringLiteral("seconds"), spectrumSeconds + fingerprintSeconds + resultSeconds}}},
        {QStringLiteral("frechet_distance"),
         QJsonObject{{QStringLiteral("rows"), o.fdRows}, {QStringLiteral("columns"), o.fdColumns}, {QStringLiteral("seconds"), fdSeconds}}},
        {QStringLiteral("tsne"),
         QJsonObject{{QStringLiteral("points"), o.tsnePoints}, {QStringLiteral("columns"), o.tsneColumns},
                     {QStringLiteral("iterations"), TsneOptions().iterations}, {QStringLiteral("seconds"), tsneSeconds}}},
    };
}

} // namespace redifine
