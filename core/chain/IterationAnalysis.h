#pragma once

#include "core/chain/ChainConfig.h"
#include "core/io/RunStore.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>

namespace redifine {

// The analyses a chain can compute after each iteration (ChainConfig::analyses):
//   pixel_indicators  colourfulness, saturation, clipping, sharpness, high-frequency ratio (metrics.json)
//   image_spectrum    analysis/image_spectrum.json + .npy (radial, angular, 2-D average; paper Fig. 35)
//   latent_spectrum   analysis/latent_spectrum.json + .npy (paper Fig. 8c)
//   fingerprint       analysis/fingerprint_spectrum.npy, fingerprint_autocorrelation.npy (paper Fig. 9)
//   latent_histogram  analysis/latent_histogram.json: all values and per channel, shared edges (Fig. 4a)
//   feature_metrics   against D_0 in the features of ChainConfig::features (metrics.json "features"): FD, KID,
//                     precision, recall, density, coverage, Vendi, SFD (paired by prompt), CLIP score;
//                     the features themselves in features_<extractor>.npy
QStringList knownAnalyses();

// Latent histograms of every iteration share these edges, so they overlay directly.
constexpr double kLatentHistogramLow = -6.0;
constexpr double kLatentHistogramHigh = 6.0;
constexpr int kLatentHistogramBins = 120;

// Runs the config's analyses on iteration k of the store (its images, and iter_k/latents.safetensors when
// present), writes the files above atomically and returns what goes into metrics.json; nothing when
// `cancelled` says so (checked between analyses and slices of images, so a cancel takes effect promptly).
std::optional<QJsonObject> analyseIteration(const RunStore &store, int k, const ChainConfig &config,
                                            const std::function<bool()> &cancelled = {});

} // namespace redifine
