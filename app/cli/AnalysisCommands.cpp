#include "app/cli/Commands.h"

#include "app/cli/Cli.h"
#include "app/cli/CliText.h"
#include "core/analysis/AnalysisJson.h"
#include "core/analysis/ColourMap.h"
#include "core/analysis/Fingerprint.h"
#include "core/analysis/PixelIndicators.h"
#include "core/analysis/Spectrum.h"
#include "core/analysis/Tsne.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/common/Json.h"
#include "core/io/ImageFiles.h"
#include "core/io/Npy.h"
#include "core/metrics/FeatureExtractor.h"
#include "core/metrics/FeatureMetrics.h"
#include "core/metrics/MetricSuite.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace redifine::cli {

namespace {

// Images are read and analysed a slice at a time, so a thousand large images never sit in memory at once.
constexpr int kSlice = 32;

template <typename Analysis>
void streamImages(const ImageSet &set, Analysis &analysis)
{
    for (int first = 0; first < set.count(); first += kSlice)
        analysis.add(planesFromImages(set.load(first, kSlice), set.files().value(first)));
}

QString absolute(const QString &path)
{
    return QFileInfo(path).absoluteFilePath();
}

// An output that names one of the command's own input files would replace the data it was computed from.
void refuseInputAsOutput(const QString &output, const QStringList &inputs, const QString &option)
{
    const QString target = QFileInfo(output).canonicalFilePath();   // empty while the output does not exist
    for (const QString &input : inputs)
        if (!target.isEmpty() && QFileInfo(input).canonicalFilePath() == target)
            throw InputError(QStringLiteral("%1 %2: is one of the inputs and would be overwritten; choose another file").arg(option, output).toStdString());
}

// The value below which `share` of the values lie, for a display range that a few peaks do not flatten.
double quantile(std::vector<double> values, double share)
{
    const size_t index = std::min(values.size() - 1, size_t(share * double(values.size())));
    std::nth_element(values.begin(), values.begin() + long(index), values.end());
    return values[index];
}

} // namespace

int commandSpectrum(Arguments &args, QTextStream &out)
{
    const std::optional<QString> images = args.takeValue(QStringLiteral("--images"));
    const std::optional<QString> latents = args.takeValue(QStringLiteral("--latents"));
    const QString npyPath = args.takeValue(QStringLiteral("--npy")).value_or(QStringLiteral("spectrum.npy"));
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    if (bool(images) == bool(latents))
        throw InputError("redifine spectrum: give exactly one of --images DIR or --latents FILE.safetensors");

    SpectrumAnalysis analysis;
    if (images) {
        const ImageSet set(*images);
        QStringList inputs;
        for (const QString &file : set.files())
            inputs << QDir(*images).filePath(file);
        refuseInputAsOutput(npyPath, inputs, QStringLiteral("spectrum --npy"));
        streamImages(set, analysis);
    } else {
        refuseInputAsOutput(npyPath, {*latents}, QStringLiteral("spectrum --npy"));
        analysis.add(readLatentPlanes(*latents));
    }
    const PowerSpectrum p = analysis.result();
    writeNpy(npyPath, npyMatrix(p.average, p.height, p.width));

    QJsonObject o = spectrumJson(p);
    o.insert(QStringLiteral("spectrum_npy"), absolute(npyPath));
    if (asJson) {
        out << QJsonDocument(o).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    out << QStringLiteral("%1 images of %2x%3; 2-D average power spectrum (fftshifted): %4\n\n")
               .arg(p.images)
               .arg(p.width)
               .arg(p.height)
               .arg(absolute(npyPath));
    out << "cycles/pixel  power (sum per ring, mean over images)  spread\n";
    for (size_t b = 0; b < p.radialFrequency.size(); ++b)
        out << QStringLiteral("%1  %2  %3\n").arg(p.radialFrequency[b], 12, 'f', 4).arg(p.radialMean[b], 12, 'g', 6).arg(p.radialSpread[b], 12, 'g', 6);
    return ExitOk;
}

int commandFingerprint(Arguments &args, QTextStream &out)
{
    const QString images = args.takeRequiredValue(QStringLiteral("--images"));
    const QString outDir = args.takeRequiredValue(QStringLiteral("--out"));
    args.finish();
    FingerprintAnalysis analysis;
    streamImages(ImageSet(images), analysis);
    const Fingerprint f = analysis.result();
    if (const QString why = makeFolder(outDir); !why.isEmpty())
        throw InputError(QStringLiteral("fingerprint --out: %1: cannot create the folder (%2)").arg(outDir, why).toStdString());
    const QDir dir(outDir);
    writeNpy(dir.filePath(QStringLiteral("residual_spectrum.npy")), npyMatrix(f.powerSpectrum, f.height, f.width));
    writeNpy(dir.filePath(QStringLiteral("autocorrelation.npy")), npyMatrix(f.autocorrelation, f.height, f.width));

    // Linear display (REFERENCE.md): the spectrum from 0 to its 99.9th percentile, the autocorrelation at lags
    // of +-32 symmetric around 0, scaled by its largest value away from lag 0 (which is 1 by construction).
    const int scale = std::max(1, 256 / std::max(f.height, f.width));
    writePngAtomically(dir.filePath(QStringLiteral("residual_spectrum.png")),
                       colourMapImage(f.powerSpectrum, f.height, f.width, 0.0, quantile(f.powerSpectrum, 0.999), scale));
    int side = 0;
    std::vector<double> crop = cropCentre(f.autocorrelation, f.height, f.width, 32, &side);
    double largest = 0.0;
    for (size_t i = 0; i < crop.size(); ++i)
        if (i != crop.size() / 2)
            largest = std::max(largest, std::abs(crop[i]));
    const double limit = largest > 0.0 ? largest : 1.0;
    writePngAtomically(dir.filePath(QStringLiteral("autocorrelation.png")),
                       colourMapImage(crop, side, side, -limit, limit, std::max(1, 256 / side)));
    out << QStringLiteral("Fingerprint of %1 images (%2x%3; residual = image - 3x3 median):\n  %4\n  %5\n  %6\n  %7\n")
               .arg(f.images)
               .arg(f.width)
               .arg(f.height)
               .arg(dir.absoluteFilePath(QStringLiteral("residual_spectrum.npy")), dir.absoluteFilePath(QStringLiteral("autocorrelation.npy")),
                    dir.absoluteFilePath(QStringLiteral("residual_spectrum.png")), dir.absoluteFilePath(QStringLiteral("autocorrelation.png")));
    return ExitOk;
}

namespace {

// Features and pixel indicators of a whole folder, in one pass over its images, a slice at a time.
struct FolderAnalysis
{
    NpyArray features;
    PixelIndicatorSummary pixels;
};

FolderAnalysis analyseFolder(const ImageSet &set, FeatureExtractor &extractor)
{
    FolderAnalysis result;
    std::vector<PixelIndicators> perImage;
    for (int first = 0; first < set.count(); first += kSlice) {
        const QList<QImage> images = set.load(first, kSlice);
        appendRows(result.features, extractor.imageFeatures(images));
        const std::vector<PixelIndicators> some = pixelIndicators(planesFromImages(images, set.files().value(first)));
        perImage.insert(perImage.end(), some.begin(), some.end());
    }
    result.pixels = summarise(perImage);
    return result;
}

// The prompt of each image: from --prompts (a run's prompts.json or one prompt per line), else from the
// kohya captions beside the images; empty when neither exists.
QStringList promptsFor(const ImageSet &set, const QString &folder, const std::optional<QString> &file)
{
    QStringList prompts;
    if (file) {
        QFile in(*file);
        if (const QString problem = openInputFile(in); !problem.isEmpty())
            throw InputError(QStringLiteral("metrics run --prompts: %1: cannot open (%2)").arg(*file, problem).toStdString());
        const QByteArray bytes = in.readAll();
        const QByteArray start = bytes.trimmed().left(1);
        if (start == "{" || start == "[") {
            // JSON (iter_0/prompts.json's form): read exactly, never as lines of a broken file's text.
            const auto fail = [&](const QString &problem) {
                return InputError(QStringLiteral("metrics run --prompts: %1: %2").arg(*file, problem).toStdString());
            };
            const QJsonValue list = json::parseObject(bytes, *file).value(QStringLiteral("prompts"));
            if (!list.isArray())
                throw fail(QStringLiteral("expected {\"prompts\": [\"...\", ...]} or one prompt per line"));
            for (const QJsonValue &v : list.toArray()) {
                if (!v.isString())
                    throw fail(QStringLiteral("prompts[%1] is not a string").arg(prompts.size()));
                prompts << v.toString();
            }
        } else {
            prompts = QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        }
        if (prompts.size() != set.count())
            throw InputError(QStringLiteral("metrics run --prompts: %1 holds %2 prompts for %3 images").arg(*file).arg(prompts.size()).arg(set.count()).toStdString());
        return prompts;
    }
    for (const QString &image : set.files()) {
        QFile caption(QDir(folder).filePath(QFileInfo(image).completeBaseName() + QStringLiteral(".txt")));
        if (const QString problem = openInputFile(caption); !problem.isEmpty())
            return {};
        prompts << QString::fromUtf8(caption.readAll()).trimmed();
    }
    return prompts;
}

} // namespace

int commandMetricsRun(Arguments &args, QTextStream &out)
{
    const QString referenceDir = args.takeRequiredValue(QStringLiteral("--reference"));
    const QString imagesDir = args.takeRequiredValue(QStringLiteral("--images"));
    const std::optional<QString> promptsFile = args.takeValue(QStringLiteral("--prompts"));
    const QString spec = args.takeValue(QStringLiteral("--features")).value_or(QStringLiteral("tiny-clip"));
    args.takeFlag(QStringLiteral("--json"));   // the output is always JSON
    args.finish();
    const ImageSet reference(referenceDir), images(imagesDir);
    const QStringList prompts = promptsFor(images, imagesDir, promptsFile);
    const std::unique_ptr<FeatureExtractor> extractor = makeFeatureExtractor(spec);
    const FolderAnalysis referenceAnalysis = analyseFolder(reference, *extractor);
    const FolderAnalysis imageAnalysis = analyseFolder(images, *extractor);
    const NpyArray &referenceFeatures = referenceAnalysis.features;
    const NpyArray &imageFeatures = imageAnalysis.features;

    // SFD pairs images with the reference image of the same file name.
    std::vector<int64_t> pairs;
    QString unpaired;
    for (const QString &file : images.files()) {
        const qsizetype row = reference.files().indexOf(file);
        if (row < 0) {
            unpaired = file;
            pairs.clear();
            break;
        }
        pairs.push_back(row);
    }
    NpyArray text;
    const bool withText = extractor->hasText() && !prompts.isEmpty();
    if (withText)
        text = extractor->textFeatures(prompts);
    QJsonObject metrics = featureMetricSuite(referenceFeatures, imageFeatures, pairs, withText ? &text : nullptr);
    QJsonObject skipped = metrics.value(QStringLiteral("skipped")).toObject();
    if (!unpaired.isEmpty())
        skipped.insert(QStringLiteral("sfd"), QStringLiteral("%1 has no reference image of the same name").arg(unpaired));
    if (!withText)
        skipped.insert(QStringLiteral("clip_score"), extractor->hasText() ? QStringLiteral("no prompts (give --prompts or captions beside the images)")
                                                                        : QStringLiteral("%1 has no text tower").arg(spec));
    if (!skipped.isEmpty())
        metrics.insert(QStringLiteral("skipped"), skipped);
    out << QJsonDocument(QJsonObject{{QStringLiteral("features"), spec},
                                     {QStringLiteral("images"), images.count()},
                                     {QStringLiteral("reference_images"), reference.count()},
                                     {QStringLiteral("metrics"), metrics},
                                     {QStringLiteral("pixel_indicators"), pixelIndicatorsJson(imageAnalysis.pixels)},
                                     {QStringLiteral("reference_pixel_indicators"), pixelIndicatorsJson(referenceAnalysis.pixels)}})
               .toJson(QJsonDocument::Indented);
    return ExitOk;
}

int commandTsne(Arguments &args, QTextStream &out)
{
    QStringList files = args.takeValues(QStringLiteral("--features"));
    const QString outPath = args.takeRequiredValue(QStringLiteral("--out"));
    TsneOptions options;
    options.perplexity = args.takeDouble(QStringLiteral("--perplexity")).value_or(options.perplexity);
    options.iterations = args.takeInt(QStringLiteral("--iterations")).value_or(options.iterations);
    options.theta = args.takeDouble(QStringLiteral("--theta")).value_or(options.theta);
    options.seed = uint64_t(args.takeInt(QStringLiteral("--seed")).value_or(0));
    while (const std::optional<QString> more = args.takePositional())
        files << *more;
    args.finish();
    if (files.isEmpty())
        throw InputError("redifine tsne: give --features A.npy [B.npy ...]");
    refuseInputAsOutput(outPath, files, QStringLiteral("tsne --out"));

    // All sets are embedded together, so their points share one map (paper Fig. 3a).
    NpyArray all;
    QJsonArray parts;
    for (const QString &file : files) {
        const NpyArray a = readNpy(file);
        if (a.shape.size() != 2 || (!all.shape.empty() && a.columns() != all.columns()))
            throw InputError(QStringLiteral("%1: must be a 2-D feature matrix%2")
                                 .arg(file, all.shape.empty() ? QString() : QStringLiteral(" with %1 columns like the first").arg(all.columns()))
                                 .toStdString());
        parts.append(QJsonObject{{QStringLiteral("file"), file}, {QStringLiteral("first_row"), qint64(all.rows())}, {QStringLiteral("rows"), qint64(a.rows())}});
        appendRows(all, a);
    }
    const std::vector<double> y = tsne(all, options);
    writeNpy(outPath, npyMatrix(y, all.rows(), 2));
    out << QJsonDocument(QJsonObject{{QStringLiteral("embedding_npy"), absolute(outPath)}, {QStringLiteral("points"), qint64(all.rows())},
                                     {QStringLiteral("perplexity"), options.perplexity}, {QStringLiteral("sets"), parts}})
               .toJson(QJsonDocument::Indented);
    return ExitOk;
}

int commandMetrics(Arguments &args, QTextStream &out)
{
    const std::optional<QString> kind = args.takePositional();
    if (kind == QStringLiteral("run"))
        return commandMetricsRun(args, out);
    if (kind != QStringLiteral("fd"))
        throw InputError("redifine metrics: expected \"fd\" (feature files in, metrics out) or \"run\" (image folders in)");
    const QString pathA = args.takeRequiredValue(QStringLiteral("--features-a"));
    const QString pathB = args.takeRequiredValue(QStringLiteral("--features-b"));
    const bool all = args.takeFlag(QStringLiteral("--all"));
    const bool asJson = args.takeFlag(QStringLiteral("--json"));
    args.finish();
    const NpyArray a = readNpy(pathA);
    const NpyArray b = readNpy(pathB);
    QJsonObject o{{QStringLiteral("fd"), frechetDistance(a, b).fd}};
    if (all) {
        o.insert(QStringLiteral("kid"), kernelDistance(a, b));
        const PrdcResult prdc = precisionRecallDensityCoverage(a, b);
        o.insert(QStringLiteral("precision"), prdc.precision);
        o.insert(QStringLiteral("recall"), prdc.recall);
        o.insert(QStringLiteral("density"), prdc.density);
        o.insert(QStringLiteral("coverage"), prdc.coverage);
    }
    if (asJson) {
        out << jsonText(o);
    } else {
        for (auto it = o.begin(); it != o.end(); ++it)
            out << QStringLiteral("%1: %2\n").arg(it.key()).arg(it.value().toDouble(), 0, 'g', 10);
    }
    return ExitOk;
}

} // namespace redifine::cli
