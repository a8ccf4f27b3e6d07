#include "core/metrics/FeatureExtractor.h"

#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/metrics/ImageResize_p.h"
#include "core/models/ClipTokenizer.h"
#include "core/models/TinyClip_p.h"
#include "core/models/VisionTransformer_p.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cmath>

namespace redifine {

NpyArray FeatureExtractor::textFeatures(const QStringList &)
{
    throw InputError(QStringLiteral("%1 features have no text tower; the CLIP score needs tiny-clip or clip:PATH").arg(name()).toStdString());
}

namespace {

NpyArray toNpy(const at::Tensor &rows)
{
    const at::Tensor x = rows.detach().to(at::kCPU, at::kDouble).contiguous();
    NpyArray a;
    a.shape = {x.size(0), x.size(1)};
    a.values.assign(x.data_ptr<double>(), x.data_ptr<double>() + x.numel());
    return a;
}

class TinyClipExtractor : public FeatureExtractor
{
public:
    explicit TinyClipExtractor(const QString &path) : m_model(TinyClipImpl::load(path)) {}
    QString name() const override { return QStringLiteral("tiny-clip"); }
    bool hasText() const override { return true; }

    NpyArray imageFeatures(const QList<QImage> &images) override
    {
        const at::NoGradGuard noGrad;
        const int size = m_model->config().resolution;
        std::vector<at::Tensor> rows;
        for (qsizetype first = 0; first < images.size(); first += 64) {
            std::vector<at::Tensor> batch;
            for (const QImage &image : images.mid(first, 64))
                batch.push_back(resizeAntialiased(image, size, size));
            rows.push_back(m_model->encodeImages(at::stack(batch) * 2.0 - 1.0));
        }
        return toNpy(at::cat(rows));
    }

    NpyArray textFeatures(const QStringList &texts) override
    {
        const at::NoGradGuard noGrad;
        return toNpy(m_model->encodeTokens(m_model->tokenize(texts)));
    }

private:
    std::shared_ptr<TinyClipImpl> m_model;
};

// DINOv2 as dgm-eval uses it: 224 x 224 (aspect ratio ignored), ImageNet normalisation, CLS features.
class DinoV2Extractor : public FeatureExtractor
{
public:
    explicit DinoV2Extractor(const QString &path) : m_vit(path, VisionTransformer::Family::DinoV2) {}
    QString name() const override { return QStringLiteral("dinov2"); }
    NpyArray imageFeatures(const QList<QImage> &images) override
    {
        std::vector<at::Tensor> rows;
        for (qsizetype first = 0; first < images.size(); first += 16) {
            std::vector<at::Tensor> batch;
            for (const QImage &image : images.mid(first, 16))
                batch.push_back(resizeAntialiased(image, m_vit.inputSize(), m_vit.inputSize()));
            rows.push_back(m_vit.forward(m_vit.normalise(at::stack(batch))));
        }
        return toNpy(at::cat(rows));
    }

private:
    VisionTransformer m_vit;
};

// CLIP ViT: short side to 224, centre crop, CLIP normalisation; projected image and text embeddings. The
// tokenizer's vocab.json and merges.txt are read from the model file's folder, as Hugging Face ships them.
class ClipExtractor : public FeatureExtractor
{
public:
    explicit ClipExtractor(const QString &path)
        : m_vit(path, VisionTransformer::Family::Clip), m_modelPath(path)
    {
    }
    QString name() const override { return QStringLiteral("clip"); }
    bool hasText() const override { return true; }
    NpyArray imageFeatures(const QList<QImage> &images) override
    {
        std::vector<at::Tensor> rows;
        for (qsizetype first = 0; first < images.size(); first += 16) {
            std::vector<at::Tensor> batch;
            for (const QImage &image : images.mid(first, 16))
                batch.push_back(resizeShortSideAndCrop(image, m_vit.inputSize()));
            rows.push_back(m_vit.forward(m_vit.normalise(at::stack(batch))));
        }
        return toNpy(at::cat(rows));
    }
    NpyArray textFeatures(const QStringList &texts) override
    {
        if (!m_text) {
            const QDir dir = QFileInfo(m_modelPath).dir();
            for (const char *file : {"vocab.json", "merges.txt"})
                if (!dir.exists(QLatin1String(file)))
                    throw InputError(QStringLiteral("%1: CLIP's tokenizer file %2 is needed beside the model for the CLIP score")
                                         .arg(dir.filePath(QLatin1String(file)), QLatin1String(file))
                                         .toStdString());
            m_tokenizer = std::make_unique<ClipTokenizer>(dir.filePath(QStringLiteral("vocab.json")), dir.filePath(QStringLiteral("merges.txt")));
            m_text = std::make_unique<ClipTextTower>(m_modelPath);
        }
        std::vector<int64_t> ids;
        for (const QString &text : texts) {
            const std::vector<int64_t> one = m_tokenizer->encode(text);
            ids.insert(ids.end(), one.begin(), one.end());
        }
        return toNpy(m_text->forward(at::tensor(ids, at::kLong).view({int64_t(texts.size()), ClipTokenizer::kContextLength})));
    }

private:
    VisionTransformer m_vit;
    QString m_modelPath;
    std::unique_ptr<ClipTokenizer> m_tokenizer;
    std::unique_ptr<ClipTextTower> m_text;
};

QString requireFile(const QString &path, const QString &setting, const QString &hint)
{
    if (path.isEmpty() || !QFile::exists(path))
        throw InputError(QStringLiteral("%1: weights not found%2; %3").arg(setting, path.isEmpty() ? QString() : QStringLiteral(" at ") + path, hint).toStdString());
    return path;
}

} // namespace

std::unique_ptr<FeatureExtractor> makeFeatureExtractor(const QString &spec)
{
    const QString kind = spec.section(QLatin1Char(':'), 0, 0);
    const QString path = spec.section(QLatin1Char(':'), 1);
    if (kind == QLatin1String("tiny-clip"))
        return std::make_unique<TinyClipExtractor>(requireFile(
            path.isEmpty() ? findResource(QStringLiteral("models/tiny-clip.safetensors")) : path, QStringLiteral("features tiny-clip"),
            QStringLiteral("the shipped file is resources/models/tiny-clip.safetensors (remake it with redifine pretrain-clip)")));
    if (kind == QLatin1String("dinov2"))
        return std::make_unique<DinoV2Extractor>(requireFile(path, QStringLiteral("features dinov2"),
                                                             QStringLiteral("point it at a DINOv2 model.safetensors from Hugging Face "
                                                                            "(facebook/dinov2-large, as dgm-eval uses): dinov2:/path/model.safetensors")));
    if (kind == QLatin1String("clip"))
        return std::make_unique<ClipExtractor>(requireFile(path, QStringLiteral("features clip"),
                                                           QStringLiteral("point it at openai/clip-vit-large-patch14's model.safetensors "
                                                                          "(vocab.json and merges.txt beside it): clip:/path/model.safetensors")));
    throw InputError(QStringLiteral("features: unknown extractor \"%1\" (tiny-clip, tiny-clip:PATH, dinov2:PATH, clip:PATH)").arg(spec).toStdString());
}

double clipScore(const NpyArray &imageFeatures, const NpyArray &textFeatures)
{
    if (imageFeatures.rows() == 0 || imageFeatures.rows() != textFeatures.rows() || imageFeatures.columns() != textFeatures.columns())
        throw InputError("CLIP score: needs one text embedding per image, of the same width");
    const int64_t n = imageFeatures.rows(), d = imageFeatures.columns();
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        double dot = 0.0, a = 0.0, b = 0.0;
        for (int64_t j = 0; j < d; ++j) {
            const double x = imageFeatures.values[size_t(i * d + j)], y = textFeatures.values[size_t(i * d + j)];
            dot += x * y;
            a += x * x;
            b += y * y;
        }
        if (!(a > 0.0 && b > 0.0) || !std::isfinite(dot))
            throw InputError("CLIP score: a zero or non-finite embedding");
        sum += 100.0 * dot / std::sqrt(a * b);
    }
    return std::max(0.0, sum / double(n));
}

} // namespace redifine
