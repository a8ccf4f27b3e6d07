#pragma once

#include <QJsonObject>

namespace redifine {

// The analysis speed targets: spectra and fingerprints of `images` images of size x size (synthetic,
// in memory, so image decoding is not measured), FD on rows x columns features, t-SNE of `tsnePoints` points.
struct AnalysisBenchmarkOptions
{
    int images = 1000;
    int size = 512;
    int fdRows = 1000;
    int fdColumns = 1024;
    int tsnePoints = 6000;
    int tsneColumns = 64;
};

QJsonObject runAnalysisBenchmarks(const AnalysisBenchmarkOptions &options);

} // namespace redifine
