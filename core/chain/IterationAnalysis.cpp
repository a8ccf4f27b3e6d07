#include "core/chain/IterationAnalysis.h"

#include "core/analysis/AnalysisJson.h"
#include "core/analysis/Fingerprint.h"
#include "core/analysis/Histogram.h"
#include "core/analysis/PixelIndicators.h"
#include "core/analysis/Spectrum.h"
#include "core/common/Error.h"
#include "core/io/Npy.h"
#include "core/metrics/FeatureExtractor.h"
#include "core/metrics/MetricSuite.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <memory>

namespace redifine {

namespace {

QJsonObject latentHistograms(const PlaneStack &latents)
{
    const std::vector<double> edges = equalEdges(kLatentHistogramLow, kLatentHistogramHigh, kLatentHistogramBins);
    QJsonArray perChannel;
    for (int c = 0; c < latents.channels; ++c) {
        std::vector<double> values;
        values.reserve(size_t(latents.count) * latents.planeSize());
        for (int n = 0; n < latents.count; ++n)
            values.insert(values.end(), latents.plane(n, c), latents.plane(n, c) + latents.planeSize());
        perChannel.append(histogramJson(histogram(values.data(), values.size(), edges)));
    }
    return QJsonObject{{QStringLiteral("all"), histogramJson(histogram(latents.values.data(), latents.values.size(), edges))},
                       {QStringLiteral("per_channel"), perChannel}};
}

QList<QImage> allImages(const RunStore &store, int k)
{
    const ImageSet set(store.imagesDir(k));
    return set.load(0, set.count());
}

QString featuresPath(const RunStore &store, int k, const FeatureExtractor &extractor)
{
    return store.file(k, QStringLiteral("features_%1.npy").arg(extractor.name()));
}

// Keeps iteration k's features beside its images as float32, and rounds `features` to the kept values, so the
// metrics computed now and those of a later run reading the file agree exactly.
void keepFeatures(const RunStore &store, int k, const FeatureExtractor &extractor, NpyArray &features)
{
    for (double &v : features.values)
        v = double(float(v));
    writeNpy(featuresPath(store, k, extractor), features, true);
}

// The features of iteration k's images, computed once and kept beside them.
NpyArray featuresOf(const RunStore &store, int k, FeatureExtractor &extractor)
{
    const QString path = featuresPath(store, k, extractor);
    if (QFile::exists(path))
        return readNpy(path);
    NpyArray features = extractor.imageFeatures(allImages(store, k));
    keepFeatures(store, k, extractor, features);
    return features;
}

QJsonObject featureMetrics(const RunStore &store, int k, const ChainConfig &config, FeatureExtractor &extractor, const NpyArray &current)
{
    const NpyArray reference = featuresOf(store, 0, extractor);
    // x_k,i pairs with the real image of its prompt, x_0,(i / images per prompt) (paper Eq. 3).
    std::vector<int64_t> pairs;
    const int perPrompt = k == 0 ? 1 : config.imagesPerPrompt;
    for (int64_t i = 0; i < current.rows(); ++i)
        pairs.push_back(i / perPrompt);
    NpyArray text;
    if (extractor.hasText())
        text = extractor.textFeatures(store.readPrompts(k));
    QJsonObject result = featureMetricSuite(reference, current, pairs, extractor.hasText() ? &text : nullptr);
    result.insert(QStringLiteral("extractor"), config.features);
    return result;
}

} // namespace

QStringList knownAnalyses()
{
    return {QStringLiteral("pixel_indicators"), QStringLiteral("image_spectrum"), QStringLiteral("latent_spectrum"),
            QStringLiteral("fingerprint"), QStringLiteral("latent_histogram"), QStringLiteral("feature_metrics")};
}

std::optional<QJsonObject> analyseIteration(const RunStore &store, int k, const ChainConfig &config, const std::function<bool()> &cancelled)
{
    const auto stop = [&] { return cancelled && cancelled(); };
    const QStringList &analyses = config.analyses;
    const QDir dir(store.file(k, QStringLiteral("analysis")));
    QDir().mkpath(dir.path());
    QJsonObject metrics;

    const bool pixels = analyses.contains(QStringLiteral("pixel_indicators"));
    const bool imageSpectrum = analyses.contains(QStringLiteral("image_spectrum"));
    const bool fingerprint = analyses.contains(QStringLiteral("fingerprint"));
    const std::unique_ptr<FeatureExtractor> extractor =
        analyses.contains(QStringLiteral("feature_metrics")) ? makeFeatureExtractor(config.features) : nullptr;
    // One pass over the images serves every image analysis and the features (unless already kept).
    const bool extractFeatures = extractor && !QFile::exists(featuresPath(store, k, *extractor));
    NpyArray features;
    if (pixels || imageSpectrum || fingerprint || extractFeatures) {
        const ImageSet images(store.imagesDir(k));
        std::vector<PixelIndicators> perImage;
        SpectrumAnalysis spectrum;
        FingerprintAnalysis residuals;
        for (int first = 0; first < images.count(); first += 32) {
            if (stop())
                return std::nullopt;
            const QList<QImage> loaded = images.load(first, 32);
            if (extractFeatures)
                appendRows(features, extractor->imageFeatures(loaded));
            if (!(pixels || imageSpectrum || fingerprint))
                continue;
            const PlaneStack slice = planesFromImages(loaded, images.files().value(first));
            if (pixels) {
                const std::vector<PixelIndicators> some = pixelIndicators(slice);
                perImage.insert(perImage.end(), some.begin(), some.end());
            }
            if (imageSpectrum)
                spectrum.add(slice);
            if (fingerprint)
                residuals.add(slice);
        }
        if (extractFeatures)
            keepFeatures(store, k, *extractor, features);
        if (pixels)
            metrics.insert(QStringLiteral("pixel_indicators"), pixelIndicatorsJson(summarise(perImage)));
        if (imageSpectrum) {
            const PowerSpectrum p = spectrum.result();
            store.writeJson(dir.filePath(QStringLiteral("image_spectrum.json")), spectrumJson(p));
            writeNpy(dir.filePath(QStringLiteral("image_spectrum.npy")), npyMatrix(p.average, p.height, p.width));
        }
        if (fingerprint) {
            const Fingerprint f = residuals.result();
            writeNpy(dir.filePath(QStringLiteral("fingerprint_spectrum.npy")), npyMatrix(f.powerSpectrum, f.height, f.width));
            writeNpy(dir.filePath(QStringLiteral("fingerprint_autocorrelation.npy")), npyMatrix(f.autocorrelation, f.height, f.width));
        }
    }

    if (stop())
        return std::nullopt;
    const QString latentsPath = store.file(k, QStringLiteral("latents.safetensors"));
    const bool latentSpectrum = analyses.contains(QStringLiteral("latent_spectrum"));
    const bool histogram = analyses.contains(QStringLiteral("latent_histogram"));
    if ((latentSpectrum || histogram) && QFile::exists(latentsPath)) {
        const PlaneStack latents = readLatentPlanes(latentsPath);
        if (latentSpectrum) {
            const PowerSpectrum p = powerSpectrum(latents);
            store.writeJson(dir.filePath(QStringLiteral("latent_spectrum.json")), spectrumJson(p));
            writeNpy(dir.filePath(QStringLiteral("latent_spectrum.npy")), npyMatrix(p.average, p.height, p.width));
        }
        if (histogram)
            store.writeJson(dir.filePath(QStringLiteral("latent_histogram.json")), latentHistograms(latents));
    }
    if (stop())
        return std::nullopt;
    if (extractor)
        metrics.insert(QStringLiteral("features"),
                       featureMetrics(store, k, config, *extractor, extractFeatures ? features : readNpy(featuresPath(store, k, *extractor))));
    return metrics;
}

} // namespace redifine
