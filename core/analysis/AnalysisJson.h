#pragma once

#include "core/analysis/Histogram.h"
#include "core/analysis/PixelIndicators.h"
#include "core/analysis/Spectrum.h"

#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace redifine {

// The machine-readable forms of the analyses, shared by the CLI, the run store and the studio.
QJsonArray jsonArray(const std::vector<double> &values);
std::vector<double> doublesOf(const QJsonArray &array);

// {"images", "height", "width", "radial": {"frequency", "count", "mean", "spread"},
//  "angular": {"centre", "mean", "spread"}}
QJsonObject spectrumJson(const PowerSpectrum &spectrum);
// {"edges", "density", "below", "above", "total"}
QJsonObject histogramJson(const Histogram &histogram);
// {"colourfulness": {"mean", "spread"}, "saturation": ..., "clipped_share", "sharpness", "high_frequency_ratio"}
QJsonObject pixelIndicatorsJson(const PixelIndicatorSummary &summary);

} // namespace redifine
