// DINOv2 and CLIP feature extractors on small ViTs of the same architecture: weights written under the
// Hugging Face names load back (round trip), fixed weights give fixed features (golden values computed once
// with this code and kept), and CLIP's text tower with the golden CLIP text weights, our tokenizer and an
// identity projection reproduces transformers' pooled output.
#include "core/common/Error.h"
#include "core/io/TensorIo_p.h"
#include "core/metrics/FeatureExtractor.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace redifine;

namespace {

// Deterministic, library-independent "random" weights: a sine of the element index, per tensor.
at::Tensor fixed(std::vector<int64_t> shape, double scale, double offset)
{
    const int64_t n = c10::multiply_integers(shape);
    return (at::arange(n, at::kDouble).mul(0.7371).add(offset).sin().mul(scale)).to(at::kFloat).view(shape);
}

void addLinear(NamedTensors &t, const std::string &name, int64_t out, int64_t in, double offset, bool bias = true)
{
    t.push_back({name + ".weight", fixed({out, in}, 1.0 / std::sqrt(double(in)), offset)});
    if (bias)
        t.push_back({name + ".bias", fixed({out}, 0.02, offset + 1)});
}

void addNorm(NamedTensors &t, const std::string &name, int64_t width, double offset)
{
    t.push_back({name + ".weight", fixed({width}, 0.1, offset) + 1.0});
    t.push_back({name + ".bias", fixed({width}, 0.05, offset + 2)});
}

void writeConfig(const QString &path, const QJsonObject &config)
{
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(config).toJson());
}

QList<QImage> testImages()
{
    QImage red(64, 48, QImage::Format_RGB888), gradient(100, 100, QImage::Format_RGB888);
    red.fill(QColor(220, 30, 30));
    for (int y = 0; y < 100; ++y)
        for (int x = 0; x < 100; ++x)
            gradient.setPixel(x, y, qRgb(2 * x, 2 * y, 128));
    return {red, gradient};
}

constexpr int64_t kWidth = 64, kLayers = 2;

} // namespace

class TestVit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dinov2FeaturesAreFixed()
    {
        // Trained grid 4 x 4 (DINOv2's is 37 x 37): 224-pixel inputs interpolate it to 16 x 16.
        NamedTensors t;
        t.push_back({"embeddings.cls_token", fixed({1, 1, kWidth}, 0.5, 0.1)});
        t.push_back({"embeddings.mask_token", fixed({1, kWidth}, 0.5, 0.2)});
        t.push_back({"embeddings.position_embeddings", fixed({1, 17, kWidth}, 0.5, 0.3)});
        t.push_back({"embeddings.patch_embeddings.projection.weight", fixed({kWidth, 3, 14, 14}, 0.05, 0.4)});
        t.push_back({"embeddings.patch_embeddings.projection.bias", fixed({kWidth}, 0.02, 0.5)});
        for (int64_t l = 0; l < kLayers; ++l) {
            const std::string p = "encoder.layer." + std::to_string(l) + ".";
            addNorm(t, p + "norm1", kWidth, l + 0.6);
            addLinear(t, p + "attention.attention.query", kWidth, kWidth, l + 0.7);
            addLinear(t, p + "attention.attention.key", kWidth, kWidth, l + 0.8);
            addLinear(t, p + "attention.attention.value", kWidth, kWidth, l + 0.9);
            addLinear(t, p + "attention.output.dense", kWidth, kWidth, l + 1.0);
            t.push_back({p + "layer_scale1.lambda1", fixed({kWidth}, 0.1, l + 1.1) + 0.5});
            addNorm(t, p + "norm2", kWidth, l + 1.2);
            addLinear(t, p + "mlp.fc1", 4 * kWidth, kWidth, l + 1.3);
            addLinear(t, p + "mlp.fc2", kWidth, 4 * kWidth, l + 1.4);
            t.push_back({p + "layer_scale2.lambda1", fixed({kWidth}, 0.1, l + 1.5) + 0.5});
        }
        addNorm(t, "layernorm", kWidth, 3.0);
        const QString model = m_dir.filePath("dinov2/model.safetensors");
        QDir().mkpath(m_dir.filePath("dinov2"));
        writeSafetensors(model, t);
        writeConfig(m_dir.filePath("dinov2/config.json"), {{"model_type", "dinov2"}, {"num_attention_heads", 4}});

        const auto extractor = makeFeatureExtractor("dinov2:" + model);
        const NpyArray f = extractor->imageFeatures(testImages());
        QCOMPARE(f.shape, (std::vector<int64_t>{2, kWidth}));
        // Golden values of this code (computed once, kept): a change in patching, position interpolation,
        // attention, layer scale or the final norm moves them.
        const double golden[] = {0.336421192, 1.20483887, 1.31226981, 0.974643707};
        for (int j = 0; j < 4; ++j)
            QVERIFY2(std::abs(f.values[size_t(j)] - golden[j]) < 1e-4, qPrintable(QStringLiteral("%1: %2").arg(j).arg(f.values[size_t(j)], 0, 'g', 9)));
        QVERIFY(!extractor->hasText());
        // The same image alone gives the same row as in the batch.
        const NpyArray alone = extractor->imageFeatures({testImages().at(1)});
        for (int64_t j = 0; j < kWidth; ++j)
            QVERIFY(std::abs(alone.values[size_t(j)] - f.values[size_t(kWidth + j)]) < 1e-5);
    }

    void clipTextTowerMatchesTransformers()
    {
        // Vision: a small CLIP ViT at 224 pixels (16 x 16 patches + the class token). Text: the golden CLIP
        // text weights (transformers), with an identity projection, so the text features are the pooler output.
        NamedTensors t;
        t.push_back({"vision_model.embeddings.class_embedding", fixed({kWidth}, 0.5, 0.1)});
        t.push_back({"vision_model.embeddings.patch_embedding.weight", fixed({kWidth, 3, 14, 14}, 0.05, 0.2)});
        t.push_back({"vision_model.embeddings.position_embedding.weight", fixed({257, kWidth}, 0.2, 0.3)});
        addNorm(t, "vision_model.pre_layrnorm", kWidth, 0.4);
        for (int64_t l = 0; l < kLayers; ++l) {
            const std::string p = "vision_model.encoder.layers." + std::to_string(l) + ".";
            addNorm(t, p + "layer_norm1", kWidth, l + 0.5);
            addLinear(t, p + "self_attn.q_proj", kWidth, kWidth, l + 0.6);
            addLinear(t, p + "self_attn.k_proj", kWidth, kWidth, l + 0.7);
            addLinear(t, p + "self_attn.v_proj", kWidth, kWidth, l + 0.8);
            addLinear(t, p + "self_attn.out_proj", kWidth, kWidth, l + 0.9);
            addNorm(t, p + "layer_norm2", kWidth, l + 1.0);
            addLinear(t, p + "mlp.fc1", 4 * kWidth, kWidth, l + 1.1);
            addLinear(t, p + "mlp.fc2", kWidth, 4 * kWidth, l + 1.2);
        }
        addNorm(t, "vision_model.post_layernorm", kWidth, 2.0);
        addLinear(t, "visual_projection", 32, kWidth, 2.1, false);
        for (auto &named : SafetensorsReader(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/clip_text_transformers.safetensors")).all())
            t.push_back(named);
        t.push_back({"text_projection.weight", at::eye(32, at::kFloat)});
        QDir().mkpath(m_dir.filePath("clip"));
        const QString model = m_dir.filePath("clip/model.safetensors");
        writeSafetensors(model, t);
        writeConfig(m_dir.filePath("clip/config.json"), {{"text_config", QJsonObject{{"num_attention_heads", 4}}},
                                                         {"vision_config", QJsonObject{{"num_attention_heads", 4}}}});
        const auto extractor = makeFeatureExtractor("clip:" + model);
        // Without the tokenizer files beside the model, the CLIP score's need for them is explained.
        QVERIFY_THROWS_EXCEPTION(InputError, extractor->textFeatures({"a photograph of an astronaut riding a horse"}));
        for (const char *file : {"vocab.json", "merges.txt"})
            QVERIFY(QFile::copy(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/tokenizer_") + QLatin1String(file), m_dir.filePath("clip/") + QLatin1String(file)));
        const NpyArray text = extractor->textFeatures({"a photograph of an astronaut riding a horse", ""});
        const at::Tensor pooler = SafetensorsReader(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/clip_text_io.safetensors")).tensor("pooler_output");
        QCOMPARE(text.shape, (std::vector<int64_t>{2, 32}));
        for (int64_t i = 0; i < 64; ++i)
            QVERIFY2(std::abs(text.values[size_t(i)] - pooler.flatten()[i].item<double>()) < 1e-4, qPrintable(QString::number(i)));

        const NpyArray image = extractor->imageFeatures(testImages());
        QCOMPARE(image.shape, (std::vector<int64_t>{2, 32}));
        const double golden[] = {-1.72365272, 1.97035921, -2.21203947, 2.4480772};
        for (int j = 0; j < 4; ++j)
            QVERIFY2(std::abs(image.values[size_t(j)] - golden[j]) < 1e-4, qPrintable(QStringLiteral("%1: %2").arg(j).arg(image.values[size_t(j)], 0, 'g', 9)));
    }

    void missingTensorsAreNamed()
    {
        const QString model = m_dir.filePath("broken.safetensors");
        writeSafetensors(model, {{"embeddings.cls_token", fixed({1, 1, kWidth}, 0.5, 0.1)}});
        try {
            makeFeatureExtractor("dinov2:" + model);
            QFAIL("accepted");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("broken.safetensors"), error.what());
        }
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestVit)
#include "tst_vit.moc"
