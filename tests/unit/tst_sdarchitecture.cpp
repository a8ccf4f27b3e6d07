// The UNet, autoencoder and text encoder against diffusers' and transformers' outputs for tiny random
// models of Stable Diffusion 1.5's architecture (golden set A).
#include "../TestHelpers_p.h"
#include "core/common/Error.h"
#include "core/models/Autoencoder_p.h"
#include "core/models/CpuBf16_p.h"
#include "core/models/StateDict_p.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace redifine;

namespace {

QJsonObject readConfig(const char *name)
{
    QFile file(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", name);
    return QJsonDocument::fromJson(file.readAll()).object();
}

double maxAbs(const at::Tensor &a, const at::Tensor &b)
{
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

} // namespace

class TestSdArchitecture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { c10::GradMode::set_enabled(false); }
    void unetMatchesDiffusers_data();
    void unetMatchesDiffusers();
    void vaeMatchesDiffusers();
    void textEncoderMatchesTransformers();
    void bf16ProductsStayNearTheReferences();
    void wrongCheckpointIsRefusedByName();
};

void TestSdArchitecture::unetMatchesDiffusers_data()
{
    QTest::addColumn<QString>("testCase");
    QTest::newRow("a: batch 2, integer timesteps") << "a";
    QTest::newRow("b: 16x24, fractional timestep") << "b";
}

void TestSdArchitecture::unetMatchesDiffusers()
{
    QFETCH(QString, testCase);
    UNet unet(UNetConfig::fromJson(readConfig("unet_config.json")));
    QCOMPARE(parameterCount(*unet), int64_t(827476));
    loadWeights(*unet, SafetensorsReader(REDIFINE_GOLDEN("unet_diffusers.safetensors")), "", QStringLiteral("UNet"));
    const SafetensorsReader io(REDIFINE_GOLDEN("unet_io.safetensors"));
    const std::string c = testCase.toStdString() + ".";
    const at::Tensor out = unet->forward(io.tensor(c + "sample"), io.tensor(c + "timestep"), io.tensor(c + "encoder_hidden_states"));
    const double error = maxAbs(out, io.tensor(c + "out"));
    QVERIFY2(error <= 1e-4, qPrintable(QString::number(error)));
}

void TestSdArchitecture::vaeMatchesDiffusers()
{
    const VaeConfig config = VaeConfig::fromJson(readConfig("vae_config.json"));
    Autoencoder vae(config);
    QCOMPARE(parameterCount(*vae), int64_t(334383));
    loadWeights(*vae, SafetensorsReader(REDIFINE_GOLDEN("vae_diffusers.safetensors")), "", QStringLiteral("VAE"));
    const SafetensorsReader io(REDIFINE_GOLDEN("vae_io.safetensors"));
    const LatentDistribution dist = vae->encode(io.tensor("encode.image"));
    QVERIFY(maxAbs(dist.mean, io.tensor("encode.mean")) <= 1e-4);
    QVERIFY(maxAbs(dist.logvar, io.tensor("encode.logvar")) <= 1e-4);
    const at::Tensor sample = dist.sample(io.tensor("encode.eps"));
    QVERIFY(maxAbs(sample, io.tensor("encode.sample")) <= 1e-4);
    QVERIFY(maxAbs(sample * config.scalingFactor, io.tensor("encode.sample_scaled")) <= 1e-4);
    QVERIFY(maxAbs(vae->decode(io.tensor("decode.latent")), io.tensor("decode.out")) <= 1e-4);
    QVERIFY(maxAbs(vae->decode(io.tensor("encode.sample")), io.tensor("roundtrip.decode_of_encode_sample")) <= 1e-4);
}

void TestSdArchitecture::textEncoderMatchesTransformers()
{
    TextEncoder encoder(TextEncoderConfig::fromJson(readConfig("clip_text_config.json")));
    QCOMPARE(parameterCount(*encoder), int64_t(1621696));
    loadWeights(*encoder, SafetensorsReader(REDIFINE_GOLDEN("clip_text_transformers.safetensors")), "", QStringLiteral("CLIP text"));
    const SafetensorsReader io(REDIFINE_GOLDEN("clip_text_io.safetensors"));
    const at::Tensor ids = io.tensor("input_ids");
    const std::vector<at::Tensor> states = encoder->hiddenStates(ids);
    QCOMPARE(states.size(), size_t(4));
    for (int i = 0; i < 4; ++i)
        QVERIFY(maxAbs(states[i], io.tensor("hidden_states." + std::to_string(i))) <= 1e-4);
    QVERIFY(maxAbs(encoder->encode(ids, 1), io.tensor("last_hidden_state")) <= 1e-4);
    QVERIFY(maxAbs(encoder->encode(ids, 2), io.tensor("penultimate_final_ln")) <= 1e-4);
}

// cpu_matmuls = bf16 on the golden models: the UNet's and the text encoder's outputs move away from the
// references by bf16's rounding (8 significant bits: about 4e-3 per product), not more. The lower bound shows
// the products really ran in bf16 (float32 stays within 1e-4 absolute, about 1e-5 of these outputs' range).
void TestSdArchitecture::bf16ProductsStayNearTheReferences()
{
    const auto relative = [](const at::Tensor &ours, const at::Tensor &reference) {
        return maxAbs(ours, reference) / reference.abs().max().item<double>();
    };
    const CpuBf16Scope bf16(true);
    const CpuBf16MinimumScope everyProduct(0.0);   // these small models' layers are all below the default
    UNet unet(UNetConfig::fromJson(readConfig("unet_config.json")));
    loadWeights(*unet, SafetensorsReader(REDIFINE_GOLDEN("unet_diffusers.safetensors")), "", QStringLiteral("UNet"));
    const SafetensorsReader io(REDIFINE_GOLDEN("unet_io.safetensors"));
    for (const std::string c : {"a.", "b."}) {
        const double error = relative(unet->forward(io.tensor(c + "sample"), io.tensor(c + "timestep"), io.tensor(c + "encoder_hidden_states")),
                                      io.tensor(c + "out"));
        qInfo("UNet case %s in bf16: max error %.2e of the output's range", c.c_str(), error);
        QVERIFY2(error > 1e-4 && error < 2e-2, qPrintable(QString::number(error)));
    }
    TextEncoder encoder(TextEncoderConfig::fromJson(readConfig("clip_text_config.json")));
    loadWeights(*encoder, SafetensorsReader(REDIFINE_GOLDEN("clip_text_transformers.safetensors")), "", QStringLiteral("CLIP text"));
    const SafetensorsReader text(REDIFINE_GOLDEN("clip_text_io.safetensors"));
    const double error = relative(encoder->encode(text.tensor("input_ids"), 1), text.tensor("last_hidden_state"));
    qInfo("CLIP text encoder in bf16: max error %.2e of the output's range", error);
    QVERIFY2(error > 1e-4 && error < 2e-2, qPrintable(QString::number(error)));
}

void TestSdArchitecture::wrongCheckpointIsRefusedByName()
{
    TextEncoder encoder(TextEncoderConfig::fromJson(readConfig("clip_text_config.json")));
    const QString vaeFile = REDIFINE_GOLDEN("vae_diffusers.safetensors");
    try {
        loadWeights(*encoder, SafetensorsReader(vaeFile), "", QStringLiteral("CLIP text"));
        QFAIL("a VAE file loaded as a text encoder");
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(vaeFile) && message.contains(QStringLiteral("missing text_model.")), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestSdArchitecture)
#include "tst_sdarchitecture.moc"
