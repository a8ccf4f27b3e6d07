// The engine end to end on a micro model: LoRA (identity at init, merging, kohya files), the training loss
// against kohya's golden batch, condition drop, finetuning, and reproducible generation.
#include "../TestHelpers_p.h"
#include "core/common/Error.h"
#include "core/diffusion/Generate_p.h"
#include "core/models/CpuBf16_p.h"
#include "core/models/CudaAutocast_p.h"
#include "core/models/Layers_p.h"
#include "core/models/LoraNames.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/train/Finetune_p.h"
#include "core/models/Geglu_p.h"
#include "core/models/GroupNormSilu_p.h"
#include "core/train/MultiTensorAdamW_p.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

#include <functional>

#include <atomic>
#include <thread>

using namespace redifine;

namespace {

LatentDiffusionConfig microConfig()
{
    LatentDiffusionConfig c = LatentDiffusionConfig::tinyDefault();
    c.resolution = 16;
    c.maxTokens = 8;
    c.vae.blockOutChannels = {8, 16};
    c.vae.normGroups = 4;
    c.unet.blockOutChannels = {16, 32};
    c.unet.crossAttention = {true, true};
    c.unet.attentionHeads = {2, 2};
    c.unet.normGroups = 4;
    c.unet.crossAttentionDim = 32;
    c.textEncoder.hiddenSize = 32;
    c.textEncoder.intermediateSize = 64;
    c.textEncoder.layers = 2;
    c.textEncoder.heads = 2;
    c.vocabulary = WordTokenizer::build({"red circle", "blue square", "green star"}, c.maxTokens).toJson();
    return c;
}

TrainingData microData()
{
    // Three flat-coloured images with their captions: a learnable, known target.
    TrainingData data;
    data.images = at::zeros({3, 3, 16, 16});
    data.images[0][0].fill_(0.8);
    data.images[1][2].fill_(0.8);
    data.images[2][1].fill_(0.8);
    data.images = data.images * 2 - 1;
    data.captions = {"red circle", "blue square", "green star"};
    return data;
}


// Rank-4 (alpha 2) adapters on every target with random up weights (so that they change the outputs),
// saved in kohya's format.
void saveRandomAdapters(LatentDiffusion &model, const QString &path)
{
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 2.0}, 3);
    for (const LoraNetwork::Adapter &a : lora.adapters())
        a.up.normal_();
    lora.save(path);
}
} // namespace

class TestEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void attentionMatchesTheFormulaWithGradients();
    void loraWithZeroUpIsBitIdentical();
    void mergedLoraEqualsUnmerged();
    void kohyaRoundTripAndKeys();
    void kohyaFileForAnotherModelIsRefused();
    void kohyaHashesMatchAnIndependentComputation();
    void savedFileHasKohyasOrderAndHashes();
    void savePrecisionIsTheStoredType_data();
    void savePrecisionIsTheStoredType();
    void loconAdaptersActLikeKohyasConvModules();
    void loconTrainingReachesTheConvolutions();
    void peftAndDiffusersNamesAreRead();
    void peftAdapterGivesTheKohyaOutputs();
    void lossMatchesKohyaGoldenBatch();
    void conditionDropShareMatchesP_data();
    void conditionDropShareMatchesP();
    void finetuneLowersTheLoss();
    void kohyaRepeatsLengthenTheEpoch();
    void trainingOnePartLeavesTheOtherUnchanged_data();
    void trainingOnePartLeavesTheOtherUnchanged();
    void nanLossStopsWithTheStep();
    void cancellationFromAnotherThreadIsPrompt();
    void sameSeedSameImages();
    void negativePromptIsTheUnconditionalText();
    void progressCountsSamplingSteps();
    void modelFileRoundTrip();
    void autocastScopesNest();
    void bf16TrainingFollowsFp32();
    void gegluMatchesAtenOperators_data();
    void gegluMatchesAtenOperators();
    void groupNormSiluMatchesAtenOperators_data();
    void groupNormSiluMatchesAtenOperators();
    void multiTensorAdamWMatchesTorchAdamW_data();
    void multiTensorAdamWMatchesTorchAdamW();
    void gradientClippingAndUnscaling();

private:
    QTemporaryDir m_dir;
};

// multiHeadAttention (on LibTorch 1.x the CPU kernel with direct BLAS calls per head) against the
// formula softmax(q k^T / sqrt(d) + mask) v per head, computed in double with autograd: outputs and the
// gradients of q, k and v, with a causal mask and with keys of another length than the queries.
void TestEngine::attentionMatchesTheFormulaWithGradients()
{
    at::manual_seed(5);
    const int64_t batch = 3, n = 7, heads = 4, d = 8;
    for (const int64_t m : {int64_t(7), int64_t(5)}) {
        const bool causal = m == n;
        const at::Tensor q = at::randn({batch, n, heads * d}).requires_grad_(true);
        const at::Tensor k = at::randn({batch, m, heads * d}).requires_grad_(true);
        const at::Tensor v = at::randn({batch, m, heads * d}).requires_grad_(true);
        const at::Tensor mask = causal ? at::full({n, m}, -1e9).triu(1).view({1, 1, n, m}) : at::Tensor();
        const at::Tensor upstream = at::randn({batch, n, heads * d});
        const at::Tensor out = multiHeadAttention(q, k, v, heads, mask);
        const auto grads = torch::autograd::grad({out}, {q, k, v}, {upstream});

        const auto split = [&](const at::Tensor &t, int64_t len) {
            return t.detach().to(at::kDouble).view({batch, len, heads, d}).transpose(1, 2).requires_grad_(true);
        };
        const at::Tensor qd = split(q, n), kd = split(k, m), vd = split(v, m);
        at::Tensor scores = at::matmul(qd, kd.transpose(-1, -2)) / std::sqrt(double(d));
        if (causal)
            scores = scores + mask.to(at::kDouble);
        const at::Tensor expected = at::matmul(at::softmax(scores, -1), vd).transpose(1, 2).reshape({batch, n, heads * d});
        const auto expectedGrads = torch::autograd::grad({expected}, {qd, kd, vd}, {upstream.to(at::kDouble)});

        QVERIFY(at::allclose(out.to(at::kDouble), expected, 1e-5, 1e-5));
        const int64_t lengths[] = {n, m, m};
        for (int i = 0; i < 3; ++i) {
            const at::Tensor want = expectedGrads[size_t(i)].transpose(1, 2).reshape({batch, lengths[i], heads * d});
            QVERIFY2(at::allclose(grads[size_t(i)].to(at::kDouble), want, 1e-4, 1e-5), qPrintable(QString::number(i)));
        }
        if (causal) {   // the first query sees only the first key: its output is that key's value
            QVERIFY(at::allclose(out.select(1, 0), v.select(1, 0), 1e-5, 1e-6));
        }
    }
}

void TestEngine::loraWithZeroUpIsBitIdentical()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    const at::Tensor x = at::randn({2, 4, 4, 4});
    const at::Tensor t = at::tensor({10.0f, 500.0f});
    const at::Tensor before = model.predictNoise(x, t, model.encodeText({"red circle", "blue square"}));
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{}, 7);
    QVERIFY(!lora.adapters().empty());
    const at::Tensor after = model.predictNoise(x, t, model.encodeText({"red circle", "blue square"}));
    QVERIFY(at::equal(before, after));
}

void TestEngine::mergedLoraEqualsUnmerged()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 8.0}, 7);
    for (const LoraNetwork::Adapter &a : lora.adapters())
        a.up.normal_(0.0, 0.05);   // a trained-looking adapter
    const at::Tensor x = at::randn({2, 4, 4, 4});
    const at::Tensor t = at::tensor({10.0f, 500.0f});
    const at::Tensor withLora = model.predictNoise(x, t, model.encodeText({"red circle", "green star"}));
    LatentDiffusion reference(microConfig(), 1);
    const at::Tensor base = reference.predictNoise(x, t, reference.encodeText({"red circle", "green star"}));
    QVERIFY((withLora - base).abs().max().item<double>() > 1e-3);   // the adapter matters
    lora.merge();
    const at::Tensor merged = model.predictNoise(x, t, model.encodeText({"red circle", "green star"}));
    QVERIFY2((merged - withLora).abs().max().item<double>() < 1e-5,
             qPrintable(QString::number((merged - withLora).abs().max().item<double>())));
}

void TestEngine::kohyaRoundTripAndKeys()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    const QString path = m_dir.filePath(QStringLiteral("lora.safetensors"));
    saveRandomAdapters(model, path);
    const SafetensorsReader reader(path);
    // kohya's names and shapes: 1x1-conv proj_in has 4-D weights, attention projections 2-D, alpha a scalar.
    const std::string projIn = "lora_unet_down_blocks_0_attentions_0_proj_in";
    QCOMPARE(reader.tensor(projIn + ".lora_down.weight").sizes(), (at::IntArrayRef{4, 16, 1, 1}));
    QCOMPARE(reader.tensor(projIn + ".lora_up.weight").sizes(), (at::IntArrayRef{16, 4, 1, 1}));
    QCOMPARE(reader.tensor(projIn + ".alpha").dim(), int64_t(0));
    QCOMPARE(reader.tensor(projIn + ".alpha").item<double>(), 2.0);
    QVERIFY(reader.contains("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight"));
    QVERIFY(reader.contains("lora_unet_up_blocks_1_attentions_1_transformer_blocks_0_ff_net_0_proj.lora_up.weight"));
    QVERIFY(reader.contains("lora_te_text_model_encoder_layers_1_self_attn_out_proj.lora_down.weight"));
    QVERIFY(reader.contains("lora_te_text_model_encoder_layers_0_mlp_fc2.alpha"));
    QVERIFY(!reader.contains("lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight"));
    QCOMPARE(reader.header().metadata.at("ss_network_dim"), std::string("4"));
    // Per transformer block 10 targets (attn1/attn2 q k v out, ff in/out) + proj_in/out per Transformer2D;
    // the micro UNet (one layer per block) has 2 down + 1 mid + 2x2 up = 7 transformers; the text encoder
    // 6 per layer x 2 layers.
    QCOMPARE(int(reader.header().tensors.size()), 3 * (7 * (10 + 2) + 2 * 6));

    const at::Tensor x = at::randn({1, 4, 4, 4});
    const at::Tensor t = at::tensor({300.0f});
    LoraNetwork original(*model.unet, *model.textEncoder, path);
    const at::Tensor expected = model.predictNoise(x, t, model.encodeText({"blue square"}));
    LatentDiffusion fresh(microConfig(), 1);
    LoraNetwork loaded(*fresh.unet, *fresh.textEncoder, path);
    QVERIFY(at::equal(fresh.predictNoise(x, t, fresh.encodeText({"blue square"})), expected));
}

void TestEngine::peftAndDiffusersNamesAreRead()
{
    const auto check = [](const std::string &key, const std::string &adapter, LoraKey::Role role) {
        const std::optional<LoraKey> parsed = parseLoraKey(key);
        QVERIFY2(parsed, key.c_str());
        QCOMPARE(QString::fromStdString(parsed->adapter), QString::fromStdString(adapter));
        QCOMPARE(int(parsed->role), int(role));
    };
    const std::string attn1 = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_";
    const std::string te = "lora_te_text_model_encoder_layers_3_self_attn_";
    check(attn1 + "to_q.lora_down.weight", attn1 + "to_q", LoraKey::Down);                                     // kohya
    check(attn1 + "to_q.alpha", attn1 + "to_q", LoraKey::Alpha);
    check("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", attn1 + "to_q", LoraKey::Down);   // PEFT
    check("base_model.model.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0.lora_B.default.weight",
          attn1 + "to_out_0", LoraKey::Up);
    check("text_encoder.text_model.encoder.layers.3.self_attn.k_proj.lora_B.weight", te + "k_proj", LoraKey::Up);
    check("text_model.encoder.layers.3.mlp.fc1.lora_A.weight", "lora_te_text_model_encoder_layers_3_mlp_fc1", LoraKey::Down);
    check("unet.down_blocks.0.attentions.0.proj_in.lora.down.weight", "lora_unet_down_blocks_0_attentions_0_proj_in", LoraKey::Down);
    check("text_encoder.text_model.encoder.layers.3.self_attn.v_proj.lora_linear_layer.up.weight", te + "v_proj", LoraKey::Up);
    // diffusers' attention-processor files
    check("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_out_lora.up.weight", attn1 + "to_out_0", LoraKey::Up);
    check("down_blocks.0.attentions.0.transformer_blocks.0.attn1.processor.to_k_lora.down.weight", attn1 + "to_k", LoraKey::Down);
    check("text_encoder.text_model.encoder.layers.3.self_attn.to_out_lora.down.weight", te + "out_proj", LoraKey::Down);
    QVERIFY(!parseLoraKey("unet.down_blocks.0.attentions.0.proj_in.lora_magnitude_vector"));
    QVERIFY(!parseLoraKey("lora_unet_down_blocks_0_attentions_0_proj_in.dora_scale"));
}

// The same adapters written with PEFT names (alpha in adapter_config.json, 2-D weights for the 1x1 convs as
// some exporters write them) give exactly the kohya file's outputs.
void TestEngine::peftAdapterGivesTheKohyaOutputs()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    const QString kohya = m_dir.filePath(QStringLiteral("kohya.safetensors"));
    QDir().mkpath(m_dir.filePath(QStringLiteral("peft")));
    const QString peft = m_dir.filePath(QStringLiteral("peft/adapter_model.safetensors"));
    saveRandomAdapters(model, kohya);
    const SafetensorsReader reader(kohya);
    std::set<std::string> saved;
    for (const TensorEntry &entry : reader.header().tensors)
        saved.insert(entry.name);
    NamedTensors renamed;
    for (const auto &[prefix, module] : {std::pair{std::string("unet."), static_cast<torch::nn::Module *>(model.unet.get())},
                                         std::pair{std::string("text_encoder."), static_cast<torch::nn::Module *>(model.textEncoder.get())}})
        for (const auto &item : module->named_modules()) {
            std::string name = (prefix == "unet." ? "lora_unet_" : "lora_te_") + item.key();
            std::replace(name.begin(), name.end(), '.', '_');
            if (!saved.count(name + ".lora_down.weight"))   // not a LoRA target (time_emb_proj is LoCon's)
                continue;
            renamed.emplace_back("base_model.model." + prefix + item.key() + ".lora_A.weight", reader.tensor(name + ".lora_down.weight").flatten(1));
            renamed.emplace_back("base_model.model." + prefix + item.key() + ".lora_B.weight", reader.tensor(name + ".lora_up.weight").flatten(1));
        }
    writeSafetensors(peft, renamed);
    QFile config(m_dir.filePath(QStringLiteral("peft/adapter_config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"peft_type": "LORA", "r": 4, "lora_alpha": 2.0})");
    config.close();

    const at::Tensor x = at::randn({1, 4, 4, 4});
    const at::Tensor t = at::tensor({300.0f});
    const at::Tensor plain = model.predictNoise(x, t, model.encodeText({"blue square"}));
    at::Tensor fromKohya, fromPeft;
    {
        LoraNetwork lora(*model.unet, *model.textEncoder, kohya);
        fromKohya = model.predictNoise(x, t, model.encodeText({"blue square"}));
    }
    {
        LoraNetwork lora(*model.unet, *model.textEncoder, peft);
        QCOMPARE(lora.adapters().size(), reader.header().tensors.size() / 3);
        fromPeft = model.predictNoise(x, t, model.encodeText({"blue square"}));
    }
    QVERIFY(!at::allclose(fromKohya, plain));
    QVERIFY(at::equal(fromPeft, fromKohya));
}

void TestEngine::kohyaFileForAnotherModelIsRefused()
{
    LatentDiffusionConfig other = microConfig();
    other.unet.blockOutChannels = {8, 32};
    other.unet.normGroups = 4;
    LatentDiffusion small(other, 1);
    const QString path = m_dir.filePath(QStringLiteral("other.safetensors"));
    LoraNetwork(*small.unet, *small.textEncoder, LoraSettings{4, 4.0}, 1).save(path);
    LatentDiffusion model(microConfig(), 1);
    try {
        LoraNetwork lora(*model.unet, *model.textEncoder, path);
        QFAIL("a LoRA of another shape was loaded");
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(path) && message.contains(QStringLiteral("do not fit")), qPrintable(message));
    }
}

// kohya's precalculate_safetensors_hashes on a file of more than 1 MiB, rebuilt here byte by byte: the header as
// safetensors' Rust writer makes it (compact JSON, metadata first, tensors in data order, padded with spaces to
// 8 bytes), metadata limited to "ss_" keys. sshs_model_hash hashes the data; the legacy hash bytes 1 MiB .. +64 KiB.
void TestEngine::kohyaHashesMatchAnIndependentComputation()
{
    at::manual_seed(2);
    const NamedTensors tensors{{"a.lora_down.weight", at::randn({150000})}, {"b.lora_up.weight", at::randn({200, 1000})}};
    const std::map<std::string, std::string> metadata{{"ss_output_name", "run-iter2"}, {"modelspec.title", "not hashed"},
                                                      {"redifine_chain", "neither"}};
    const auto [modelHash, legacyHash] = kohyaHashes(tensors, metadata);

    QByteArray data;
    for (const auto &[name, t] : tensors)
        data.append(static_cast<const char *>(t.data_ptr()), qsizetype(t.numel() * 4));
    QCOMPARE(QByteArray::fromStdString(modelHash), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
    QByteArray header = R"({"__metadata__":{"ss_output_name":"run-iter2"},"a.lora_down.weight":{"dtype":"F32","shape":[150000],)"
                        R"("data_offsets":[0,600000]},"b.lora_up.weight":{"dtype":"F32","shape":[200,1000],"data_offsets":[600000,1400000]}})";
    header.append(QByteArray((8 - header.size() % 8) % 8, ' '));
    QByteArray file(8, '\0');
    file[0] = char(header.size() & 0xff);
    file[1] = char(header.size() >> 8);
    file += header + data;
    QVERIFY(file.size() > 0x110000);
    QCOMPARE(QByteArray::fromStdString(legacyHash), QCryptographicHash::hash(file.mid(0x100000, 0x10000), QCryptographicHash::Sha256).toHex().left(8));
    // Only the "ss_" metadata counts: other keys change neither hash.
    QCOMPARE(kohyaHashes(tensors, {{"ss_output_name", "run-iter2"}}), std::make_pair(modelHash, legacyHash));
    // A longer "ss_" value moves the data past the header's 8-byte padding, and with it the legacy window.
    QVERIFY(kohyaHashes(tensors, {{"ss_output_name", "run-iter2, a name 16 bytes longer"}}).second != legacyHash);
}

// A saved adapter file: tensors in safetensors' own order (by name), and the hashes kohya would store for it,
// checked on the file's bytes: sshs_model_hash is the SHA-256 of everything after the header (what A1111
// computes for a file without it); under 1 MiB the legacy window is empty (SHA-256 of nothing).
void TestEngine::savedFileHasKohyasOrderAndHashes()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    const QString path = m_dir.filePath(QStringLiteral("hashed.safetensors"));
    saveRandomAdapters(model, path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    qint64 headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | quint8(bytes[i]);
    QVERIFY(8 + headerSize < 0x100000);
    const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, headerSize)).object();
    const QJsonObject metadata = header.value(QStringLiteral("__metadata__")).toObject();
    QCOMPARE(metadata.value(QStringLiteral("sshs_model_hash")).toString().toLatin1(),
             QCryptographicHash::hash(bytes.mid(8 + headerSize), QCryptographicHash::Sha256).toHex());
    QCOMPARE(metadata.value(QStringLiteral("sshs_legacy_hash")).toString(), QStringLiteral("e3b0c442"));
    QMap<qint64, QString> byOffset;
    for (auto it = header.begin(); it != header.end(); ++it)
        if (it.key() != QLatin1String("__metadata__"))
            byOffset.insert(it.value().toObject().value(QStringLiteral("data_offsets")).toArray().at(0).toInteger(), it.key());
    QStringList inFileOrder = byOffset.values();
    QStringList sorted = inFileOrder;
    std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    QCOMPARE(inFileOrder, sorted);
    QVERIFY(inFileOrder.size() > 30);
}

void TestEngine::savePrecisionIsTheStoredType_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("name");
    QTest::addRow("float") << int(at::kFloat) << "F32";
    QTest::addRow("fp16") << int(at::kHalf) << "F16";
    QTest::addRow("bf16") << int(at::kBFloat16) << "BF16";
}

// kohya's save_precision: every tensor, alpha included, is stored in that type, and loads back as those values.
void TestEngine::savePrecisionIsTheStoredType()
{
    QFETCH(int, type);
    QFETCH(QString, name);
    const auto dtype = at::ScalarType(type);
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 2.0}, 3);
    for (const LoraNetwork::Adapter &a : lora.adapters())
        a.up.normal_();
    const QString path = m_dir.filePath(QStringLiteral("precision-%1.safetensors").arg(name));
    lora.save(path, dtype);
    const SafetensorsReader reader(path);
    for (const TensorEntry &entry : reader.header().tensors)
        QCOMPARE(QString::fromLatin1(dtypeName(entry.dtype)), name);
    std::map<std::string, at::Tensor> saved;
    for (const LoraNetwork::Adapter &a : lora.adapters())
        saved[a.name] = a.up.to(dtype).to(at::kFloat);
    LatentDiffusion other(microConfig(), 1);
    const LoraNetwork loaded(*other.unet, *other.textEncoder, path);
    QCOMPARE(loaded.adapters().size(), lora.adapters().size());
    for (const LoraNetwork::Adapter &a : loaded.adapters()) {
        QVERIFY(at::equal(a.up, saved.at(a.name)));
        QCOMPARE(a.alpha, 2.0);
    }
}

// A LoCon file (kohya conv_dim) for the ResNet convs, a stride-2 downsampler conv and a time_emb_proj Linear:
// each layer's output with the adapter loaded is kohya's LoRAModule forward, org(x) + up(down(x)) * alpha / rank,
// computed here with the down as a conv of the layer's kernel, stride and padding and the up as a 1x1 conv, with
// and without gradients (the two forms a layer chooses between); when the adapter goes, the layers compute
// their original outputs again.
void TestEngine::loconAdaptersActLikeKohyasConvModules()
{
    at::manual_seed(8);
    LatentDiffusion model(microConfig(), 1);
    std::map<std::string, torch::nn::Module *> modules;
    for (const auto &item : model.unet->named_modules("", false))
        modules[item.key()] = item.value().get();
    const int64_t rank = 3;
    const double alpha = 1.5;
    struct Case { std::string path; int64_t stride; };
    const std::vector<Case> convs{{"down_blocks.0.resnets.0.conv1", 1}, {"down_blocks.1.resnets.0.conv_shortcut", 1},
                                  {"down_blocks.0.downsamplers.0.conv", 2}, {"up_blocks.0.upsamplers.0.conv", 1}};
    const std::string linear = "mid_block.resnets.0.time_emb_proj";
    const auto kohya = [](std::string path) {
        std::replace(path.begin(), path.end(), '.', '_');
        return "lora_unet_" + path;
    };
    NamedTensors file;
    std::map<std::string, std::pair<at::Tensor, at::Tensor>> adapters;
    for (const Case &c : convs) {
        auto *conv = dynamic_cast<AdaptableConv2dImpl *>(modules.at(c.path));
        QVERIFY2(conv, c.path.c_str());
        const at::Tensor &w = conv->weight;
        adapters[c.path] = {at::randn({rank, w.size(1), w.size(2), w.size(3)}) * 0.1, at::randn({w.size(0), rank, 1, 1}) * 0.1};
    }
    auto *proj = dynamic_cast<AdaptableLinearImpl *>(modules.at(linear));
    QVERIFY(proj);
    adapters[linear] = {at::randn({rank, proj->weight.size(1)}) * 0.1, at::randn({proj->weight.size(0), rank}) * 0.1};
    for (const auto &[path, pair] : adapters) {
        file.emplace_back(kohya(path) + ".lora_down.weight", pair.first);
        file.emplace_back(kohya(path) + ".lora_up.weight", pair.second);
        file.emplace_back(kohya(path) + ".alpha", at::scalar_tensor(alpha));
    }
    const QString path = m_dir.filePath(QStringLiteral("locon.safetensors"));
    writeSafetensors(path, file, {{"ss_network_module", "networks.lora"}, {"ss_network_args", R"({"conv_dim": "3"})"}});

    const double scale = alpha / double(rank);
    const auto convInput = [](const AdaptableConv2dImpl *conv) { return at::randn({2, conv->weight.size(1), 8, 8}); };
    {
        const LoraNetwork lora(*model.unet, *model.textEncoder, path);
        QCOMPARE(lora.adapters().size(), size_t(5));
        for (const bool withGradients : {false, true}) {
            const torch::AutoGradMode gradMode(withGradients);
            for (const Case &c : convs) {
                auto *conv = dynamic_cast<AdaptableConv2dImpl *>(modules.at(c.path));
                const at::Tensor x = convInput(conv).set_requires_grad(withGradients);
                const int64_t padding = conv->weight.size(2) / 2;
                const auto &[down, up] = adapters.at(c.path);
                const at::Tensor expected = at::conv2d(x, conv->weight, conv->bias, c.stride, padding)
                                            + at::conv2d(at::conv2d(x, down, {}, c.stride, padding), up) * scale;
                QVERIFY2(test::maxScaledError(conv->forward(x), expected) < 1e-5, c.path.c_str());
            }
            const at::Tensor x = at::randn({3, proj->weight.size(1)}).set_requires_grad(withGradients);
            const auto &[down, up] = adapters.at(linear);
            const at::Tensor expected = at::linear(x, proj->weight, proj->bias) + at::linear(at::linear(x, down), up) * scale;
            QVERIFY(test::maxScaledError(proj->forward(x), expected) < 1e-5);
        }
    }
    torch::NoGradGuard noGrad;
    for (const Case &c : convs) {
        auto *conv = dynamic_cast<AdaptableConv2dImpl *>(modules.at(c.path));
        const at::Tensor x = convInput(conv);
        QVERIFY(at::equal(conv->forward(x), at::conv2d(x, conv->weight, conv->bias, c.stride, conv->weight.size(2) / 2)));
    }

    // A LoCon down whose kernel is not the layer's is refused with the shapes named.
    const std::string conv1 = kohya(convs[0].path);
    const at::Tensor &conv1Weight = dynamic_cast<AdaptableConv2dImpl *>(modules.at(convs[0].path))->weight;
    writeSafetensors(path, {{conv1 + ".lora_down.weight", at::randn({rank, conv1Weight.size(1), 1, 1})},
                            {conv1 + ".lora_up.weight", at::randn({conv1Weight.size(0), rank, 1, 1})}});
    try {
        LoraNetwork lora(*model.unet, *model.textEncoder, path);
        QFAIL("a LoCon adapter with the wrong kernel was loaded");
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(QString::fromStdString(conv1)) && message.contains(QStringLiteral("do not fit")), qPrintable(message));
    }
}

// finetune.conv_rank (kohya's conv_dim): every ResNet conv, time_emb_proj and sampler conv gets an adapter, the 3x3
// ones of conv_rank with a down of the layer's kernel, the rest of the LoRA rank; a finetune trains all of them
// (their ups start at zero and leave it); the file carries kohya's ss_network_args and loads back to the same
// predictions; merging them into the weights changes nothing.
void TestEngine::loconTrainingReachesTheConvolutions()
{
    LatentDiffusion model(microConfig(), 1);
    LoraSettings loraSettings{4, 4.0};
    loraSettings.convRank = 2;
    loraSettings.convAlpha = 1.0;
    LoraNetwork lora(*model.unet, *model.textEncoder, loraSettings, 5);
    const std::vector<std::pair<std::string, LoraTarget *>> targets = loconTargets(*model.unet);
    QVERIFY(targets.size() > 10);
    std::map<std::string, const LoraNetwork::Adapter *> byName;
    for (const LoraNetwork::Adapter &a : lora.adapters())
        byName[a.name] = &a;
    QCOMPARE(lora.adapters().size(), loraTargets(*model.unet, *model.textEncoder).size() + targets.size());
    const LoraNetwork::Adapter &conv1 = *byName.at("lora_unet_down_blocks_0_resnets_0_conv1");
    QCOMPARE(conv1.down.sizes(), (at::IntArrayRef{2, conv1.down.size(1), 3, 3}));
    QCOMPARE(conv1.alpha, 1.0);
    const LoraNetwork::Adapter &temb = *byName.at("lora_unet_mid_block_resnets_0_time_emb_proj");
    QCOMPARE(temb.down.dim(), int64_t(2));
    QCOMPARE(temb.down.size(0), int64_t(4));
    QCOMPARE(temb.alpha, 4.0);
    QVERIFY(byName.count("lora_unet_down_blocks_0_downsamplers_0_conv"));

    FinetuneSettings settings;
    settings.batchSize = 3;
    settings.maxSteps = 4;
    settings.unetLr = 3e-3;
    settings.seed = 11;
    finetune(model, lora, microData(), settings);
    for (const auto &[name, layer] : targets)
        QVERIFY2(byName.at(name)->up.abs().max().item<double>() > 0.0, name.c_str());

    torch::NoGradGuard noGrad;
    const QString path = m_dir.filePath(QStringLiteral("locon-trained.safetensors"));
    lora.save(path);
    QCOMPARE(SafetensorsReader(path).header().metadata.at("ss_network_args"), std::string(R"({"conv_alpha":"1","conv_dim":"2"})"));
    const at::Tensor x = at::randn({2, 4, 4, 4});
    const at::Tensor t = at::tensor({10.0f, 500.0f});
    const at::Tensor trained = model.predictNoise(x, t, model.encodeText({"red circle", "green star"}));
    LatentDiffusion reloaded(microConfig(), 1);
    {
        const LoraNetwork loaded(*reloaded.unet, *reloaded.textEncoder, path);
        QCOMPARE(loaded.adapters().size(), lora.adapters().size());
        const at::Tensor again = reloaded.predictNoise(x, t, reloaded.encodeText({"red circle", "green star"}));
        QVERIFY2(test::maxScaledError(again, trained) < 1e-5, qPrintable(QString::number(test::maxScaledError(again, trained))));
    }
    LatentDiffusion base(microConfig(), 1);
    QVERIFY(test::maxScaledError(base.predictNoise(x, t, base.encodeText({"red circle", "green star"})), trained) > 1e-4);
    lora.merge();
    const at::Tensor merged = model.predictNoise(x, t, model.encodeText({"red circle", "green star"}));
    QVERIFY2(test::maxScaledError(merged, trained) < 1e-5, qPrintable(QString::number(test::maxScaledError(merged, trained))));
}

void TestEngine::lossMatchesKohyaGoldenBatch()
{
    const SafetensorsReader golden(REDIFINE_GOLDEN("scheduler_ddpm_training.safetensors"));
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    const at::Tensor t = golden.tensor("example.timesteps");
    const at::Tensor pred = golden.tensor("example.model_pred");
    const at::Tensor noise = golden.tensor("example.noise");
    QVERIFY(test::maxRelativeError(diffusionLoss(pred, noise, t, schedule, 0.0), golden.tensor("example.loss_per_sample")) < 1e-5);
    const at::Tensor weighted = diffusionLoss(pred, noise, t, schedule, 5.0);
    QVERIFY(test::maxRelativeError(weighted, golden.tensor("example.loss_min_snr5")) < 1e-5);
    QVERIFY(test::maxRelativeError(weighted.mean(), golden.tensor("example.loss_min_snr5_mean")) < 1e-5);
    // add_noise: sqrt(abar) x0 + sqrt(1 - abar) noise at the batch's timesteps
    QVERIFY(test::maxScaledError(addNoise(golden.tensor("example.x0"), noise, t, schedule), golden.tensor("example.noisy")) < 1e-5);
}

void TestEngine::conditionDropShareMatchesP_data()
{
    QTest::addColumn<double>("p");
    QTest::newRow("p = 0") << 0.0;
    QTest::newRow("p = 0.2 (ReDiFine)") << 0.2;
    QTest::newRow("p = 0.5") << 0.5;
    QTest::newRow("p = 1") << 1.0;
}

void TestEngine::conditionDropShareMatchesP()
{
    QFETCH(double, p);
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(99);
    const QStringList captions(6, QStringLiteral("cat face"));
    int dropped = 0, total = 0;
    for (int batch = 0; batch < 2000; ++batch) {
        for (const QString &c : dropCaptions(captions, p, generator)) {
            dropped += c.isEmpty();
            ++total;
            if (!c.isEmpty())
                QCOMPARE(c, QStringLiteral("cat face"));
        }
    }
    const double share = double(dropped) / total;
    // Binomial standard error at n = 12000 is at most 0.0046; allow 4 of them.
    QVERIFY2(std::abs(share - p) < 0.0185, qPrintable(QString::number(share)));
    if (p == 0.0 || p == 1.0)
        QCOMPARE(share, p);
}

void TestEngine::finetuneLowersTheLoss()
{
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{8, 8.0}, 5);
    FinetuneSettings settings;
    settings.batchSize = 3;
    settings.maxSteps = 150;
    settings.unetLr = 3e-3;
    settings.textEncoderLr = 1e-3;
    settings.seed = 11;
    const FinetuneResult result = finetune(model, lora, microData(), settings);
    QCOMPARE(int(result.log.size()), 150);
    double first = 0, last = 0;
    for (int i = 0; i < 30; ++i) {
        first += result.log[size_t(i)].loss;
        last += result.log[result.log.size() - 1 - size_t(i)].loss;
    }
    QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("first 30: %1, last 30: %2").arg(first).arg(last)));
}

// kohya's repeats: an epoch draws image i repeats[i] times, so 1 + 3 + 1 images at batch 1 make 5 steps an
// epoch; all-ones repeats are the plain epoch, step for step.
void TestEngine::kohyaRepeatsLengthenTheEpoch()
{
    FinetuneSettings settings;
    settings.batchSize = 1;
    settings.epochs = 2;
    settings.seed = 4;
    const auto run = [&](const std::vector<int64_t> &repeats) {
        LatentDiffusion model(microConfig(), 1);
        LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 4.0}, 5);
        TrainingData data = microData();
        data.repeats = repeats;
        return finetune(model, lora, data, settings).log;
    };
    const auto repeated = run({1, 3, 1});
    QCOMPARE(int(repeated.size()), 10);
    QCOMPARE(repeated[4].epoch, 1);
    QCOMPARE(repeated[5].epoch, 2);
    QCOMPARE(repeated[9].totalSteps, 10);
    const auto plain = run({});
    const auto ones = run({1, 1, 1});
    QCOMPARE(int(plain.size()), 6);
    for (size_t i = 0; i < plain.size(); ++i)
        QCOMPARE(ones[i].loss, plain[i].loss);
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 4.0}, 5);
    TrainingData bad = microData();
    bad.repeats = {1, 0, 1};
    QVERIFY_THROWS_EXCEPTION(InputError, finetune(model, lora, bad, settings));
}

// Paper Table 1: finetuning only the UNet's adapters, or only the text encoder's. The other part's adapters
// keep their initial values exactly (up = 0) and compute no gradients.
void TestEngine::trainingOnePartLeavesTheOtherUnchanged_data()
{
    QTest::addColumn<bool>("trainUnet");
    QTest::addRow("UNet only") << true;
    QTest::addRow("text encoder only") << false;
}

void TestEngine::trainingOnePartLeavesTheOtherUnchanged()
{
    QFETCH(bool, trainUnet);
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 4.0}, 5);
    FinetuneSettings settings;
    settings.batchSize = 3;
    settings.maxSteps = 5;
    settings.trainUnet = trainUnet;
    settings.trainTextEncoder = !trainUnet;
    finetune(model, lora, microData(), settings);
    for (const LoraNetwork::Adapter &a : lora.adapters()) {
        const bool trained = a.unet == trainUnet;
        QCOMPARE(a.up.abs().max().item<double>() > 0.0, trained);
        QCOMPARE(a.up.requires_grad(), trained);
        QVERIFY(!a.up.grad().defined() || trained);
    }
}

void TestEngine::nanLossStopsWithTheStep()
{
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 4.0}, 5);
    TrainingData data = microData();
    data.images[1][0][3][3] = std::numeric_limits<float>::quiet_NaN();
    FinetuneSettings settings;
    settings.batchSize = 3;
    settings.maxSteps = 5;
    try {
        finetune(model, lora, data, settings);
        QFAIL("a NaN loss went unnoticed");
    } catch (const RuntimeError &error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(QStringLiteral("NaN at step 1 of 5")), error.what());
    }
}

void TestEngine::cancellationFromAnotherThreadIsPrompt()
{
    LatentDiffusion model(microConfig(), 1);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{4, 4.0}, 5);
    FinetuneSettings settings;
    settings.batchSize = 3;
    settings.maxSteps = 1000000;
    std::atomic<bool> cancel{false};
    std::atomic<int> steps{0};
    QElapsedTimer timer;
    std::thread worker([&] {
        c10::GradMode::set_enabled(true);
        const FinetuneResult r = finetune(model, lora, microData(), settings, [&] { return cancel.load(); },
                                          [&](const TrainStep &) { ++steps; });
        QVERIFY(r.cancelled);
    });
    while (steps < 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    timer.start();
    cancel = true;
    worker.join();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

// Generation reports after every sampling step, counting a batch at step s of n as s/(n + 1) of its images
// (the decode is the last share), and after each decode: an ETA is then honest within one step.
void TestEngine::progressCountsSamplingSteps()
{
    LatentDiffusion model(microConfig(), 1);
    GenerationSettings settings;
    settings.steps = 4;
    settings.batchSize = 2;
    std::vector<double> reported;
    generateImages(model, {"red circle", "blue square", "green star"}, 0, settings, {}, [&](double done) { reported.push_back(done); });
    const std::vector<double> expected{0.4, 0.8, 1.2, 1.6, 2.0, 2.2, 2.4, 2.6, 2.8, 3.0};   // and after each decode
    QCOMPARE(reported.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(reported[i] - expected[i]) < 1e-12, qPrintable(QString::number(reported[i])));
}

void TestEngine::sameSeedSameImages()
{
    LatentDiffusion model(microConfig(), 1);
    GenerationSettings settings;
    settings.steps = 6;
    settings.seed = 1234;
    settings.batchSize = 2;
    settings.cfg = CfgSchedule::exponential(7.5, 2.0);
    const QStringList prompts{"red circle", "blue square", "green star"};
    const GeneratedImages a = generateImages(model, prompts, 0, settings);
    const GeneratedImages b = generateImages(model, prompts, 0, settings);
    QCOMPARE(a.images.sizes(), (at::IntArrayRef{3, 3, 16, 16}));
    QVERIFY(at::equal(a.images, b.images));
    QCOMPARE(a.diffNorm.sizes(), (at::IntArrayRef{3, 6}));
    QVERIFY(a.diffNorm.min().item<double>() > 0.0);   // text changes the prediction
    // Image 2 alone (index 2, batch of one) is the same image: seeds are per image, not per batch.
    settings.batchSize = 1;
    const GeneratedImages third = generateImages(model, {prompts[2]}, 2, settings);
    QVERIFY(test::maxScaledError(third.images[0], a.images[2]) < 1e-5);
    settings.seed = 1235;
    QVERIFY(!at::equal(generateImages(model, prompts, 0, settings).images, a.images));
}

// CFG's unconditional pass encodes the negative prompt (A1111, diffusers): where it equals the prompt, the two
// predictions coincide and the Diff-norm probe ||eps_c - eps_u|| is zero at every step; elsewhere it is not.
void TestEngine::negativePromptIsTheUnconditionalText()
{
    LatentDiffusion model(microConfig(), 1);
    GenerationSettings settings;
    settings.steps = 4;
    settings.seed = 7;
    settings.negativePrompt = QStringLiteral("blue square");
    const GeneratedImages images = generateImages(model, {"blue square", "red circle"}, 0, settings);
    QVERIFY2(images.diffNorm[0].max().item<double>() < 1e-5, qPrintable(QString::number(images.diffNorm[0].max().item<double>())));
    QVERIFY(images.diffNorm[1].min().item<double>() > 1e-3);
    settings.negativePrompt.clear();
    QVERIFY(generateImages(model, {"blue square"}, 0, settings).diffNorm.min().item<double>() > 1e-3);
}

void TestEngine::modelFileRoundTrip()
{
    torch::NoGradGuard noGrad;
    LatentDiffusion model(microConfig(), 3);
    model.setLatentScale(0.5);
    const QString path = m_dir.filePath(QStringLiteral("model.safetensors"));
    model.save(path, at::kFloat);
    const auto loaded = LatentDiffusion::load(path);
    QCOMPARE(loaded->config().vae.scalingFactor, 0.5);
    QCOMPARE(loaded->config().vocabulary, model.config().vocabulary);
    const at::Tensor x = at::randn({1, 4, 4, 4});
    const at::Tensor t = at::tensor({42.0f});
    QVERIFY(at::equal(loaded->predictNoise(x, t, loaded->encodeText({"green star"})),
                      model.predictNoise(x, t, model.encodeText({"green star"}))));
    QVERIFY_THROWS_EXCEPTION(InputError, LatentDiffusion::load(REDIFINE_GOLDEN("vae_diffusers.safetensors")));
}

QTEST_GUILESS_MAIN(TestEngine)
// predictNoise opens its own autocast scope inside the finetune loop's: leaving the inner one must not switch
// autocast off for the rest of the outer one (the flag is thread state, set the same way on a CPU build).
void TestEngine::autocastScopesNest()
{
    QVERIFY(!CudaAutocast::isEnabled());
    {
        const CudaAutocast outer(true);
        QVERIFY(CudaAutocast::isEnabled());
        {
            const CudaAutocast inner(true);
            QVERIFY(CudaAutocast::isEnabled());
        }
        QVERIFY(CudaAutocast::isEnabled());
        {
            const CudaAutocast off(false);   // a CPU model's scope changes nothing
            QVERIFY(CudaAutocast::isEnabled());
        }
    }
    QVERIFY(!CudaAutocast::isEnabled());
}

// cpu_matmuls = bf16 in training: the loss and the LoRA gradients of one batch stay close to float32's (bf16
// mixed precision keeps the direction of every adapter's gradient), and differ from them (the bf16 path ran).
// The scope is the model's own (setCpuBf16), as chains use it, and it nests like the CUDA one. Products below
// the minimum stay float32 exactly.
void TestEngine::bf16TrainingFollowsFp32()
{
    const CpuBf16MinimumScope everyProduct(0.0);   // the micro model's layers are all below the default
    LatentDiffusion model(microConfig(), 3);
    LoraNetwork lora(*model.unet, *model.textEncoder, LoraSettings{}, 5);
    {
        torch::NoGradGuard noGrad;
        for (const auto &adapter : lora.adapters())
            adapter.up.normal_(0.0, 0.05);   // non-zero ups, so that the downs get gradients too
    }
    torch::manual_seed(11);
    const int64_t size = model.config().latentSize();
    const at::Tensor latents = at::randn({3, 4, size, size});
    const at::Tensor noise = at::randn({3, 4, size, size});
    const QStringList captions{"red circle", "blue square", "green star"};
    const auto lossAndGradients = [&](bool bf16) {
        model.setCpuBf16(bf16);
        for (const auto &adapter : lora.adapters())
            for (at::Tensor t : {adapter.down, adapter.up})
                t.mutable_grad() = at::Tensor();
        const at::Tensor prediction = model.predictNoise(latents, at::full({3}, 500.0), model.encodeText(captions));
        const at::Tensor loss = (prediction - noise).pow(2).mean();
        loss.backward();
        std::vector<at::Tensor> grads;
        for (const auto &adapter : lora.adapters())
            for (const at::Tensor &t : {adapter.down, adapter.up})
                grads.push_back(t.grad().flatten().clone());
        return std::make_pair(loss.item<double>(), at::cat(grads));
    };
    const auto [loss32, grad32] = lossAndGradients(false);
    const auto [loss16, grad16] = lossAndGradients(true);
    model.setCpuBf16(false);
    QVERIFY2(std::abs(loss16 - loss32) < 1e-2 * loss32, qPrintable(QStringLiteral("%1 %2").arg(loss16).arg(loss32)));
    const double relative = ((grad16 - grad32).norm() / grad32.norm()).item<double>();
    const double cosine = (grad16.dot(grad32) / (grad16.norm() * grad32.norm())).item<double>();
    qInfo("bf16 against float32: loss %.6f / %.6f, gradient relative error %.2e, cosine %.5f", loss16, loss32, relative, cosine);
    QVERIFY2(relative > 1e-5 && relative < 5e-2, qPrintable(QString::number(relative)));
    QVERIFY2(cosine > 0.998, qPrintable(QString::number(cosine)));
    // Scopes nest: an inner scope's end restores the outer one's state.
    const at::Tensor x = at::randn({4, 8});
    const at::Tensor w = at::randn({8, 8});
    {
        const CpuBf16Scope outer(true);
        {
            const CpuBf16Scope inner(false);
            QVERIFY(at::equal(linearProduct(x, w, {}), at::linear(x, w, {})));
        }
        QVERIFY(!at::equal(linearProduct(x, w, {}), at::linear(x, w, {})));
        // 256 multiply-adds are far below the default minimum: float32, bit for bit.
        const CpuBf16MinimumScope defaultMinimum(kDefaultBf16MinimumMultiplyAdds);
        QVERIFY(at::equal(linearProduct(x, w, {}), at::linear(x, w, {})));
    }
}

// The GEGLU gate a * gelu(b) in one operator equals ATen's split, GELU and product, forward and backward, against
// a float64 reference: no worse than ATen's own float32 (twice its error), on the tiny model's feed-forward
// shapes, an odd row count, one gate a row, and wide inputs (GELU's tails, erf's approximation).
void TestEngine::gegluMatchesAtenOperators_data()
{
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<double>("spread");
    QTest::newRow("tiny 8x8 block") << QList<qint64>{32, 64, 512} << 1.0;
    QTest::newRow("odd rows") << QList<qint64>{3, 5, 14} << 1.0;
    QTest::newRow("one gate a row") << QList<qint64>{7, 2} << 1.0;
    QTest::newRow("wide inputs") << QList<qint64>{4, 9, 64} << 6.0;
}

void TestEngine::gegluMatchesAtenOperators()
{
    QFETCH(QList<qint64>, shape);
    QFETCH(double, spread);
    torch::manual_seed(12);
    const at::Tensor input = at::randn(std::vector<int64_t>(shape.begin(), shape.end())) * spread;
    std::vector<int64_t> half(shape.begin(), shape.end());
    half.back() /= 2;
    const at::Tensor upstream = at::randn(half);
    const auto evaluate = [&](bool fused, at::ScalarType type) {
        at::Tensor x = input.to(type).clone().requires_grad_(true);
        at::Tensor y;
        if (fused) {
            y = geglu(x);
        } else {
            const std::vector<at::Tensor> parts = x.chunk(2, -1);
            y = parts[0] * at::gelu(parts[1]);
        }
        (y * upstream.to(type)).sum().backward();
        return std::vector<at::Tensor>{y.detach().to(at::kDouble), x.grad().to(at::kDouble),
                                       at::tensor(int64_t(y.grad_fn() && y.grad_fn()->name() == "MulBackward0"))};
    };
    const std::vector<at::Tensor> exact = evaluate(false, at::kDouble), ours = evaluate(true, at::kFloat), theirs = evaluate(false, at::kFloat);
    QVERIFY(ours[2].item<int64_t>() == 0);   // the fused operator ran
    for (int i = 0; i < 2; ++i) {
        const double scale = std::max(1.0, exact[size_t(i)].abs().max().item<double>());
        const double error = (ours[size_t(i)] - exact[size_t(i)]).abs().max().item<double>() / scale;
        const double atenError = (theirs[size_t(i)] - exact[size_t(i)]).abs().max().item<double>() / scale;
        QVERIFY2(error <= std::max(2e-6, 2.0 * atenError),
                 qPrintable(QStringLiteral("%1: %2 against ATen's %3").arg(i == 0 ? "output" : "gradient").arg(error).arg(atenError)));
    }
    // Without gradients (sampling): the same values. In float64: ATen's operators (a contiguous copy of the gated
    // half first, so GELU's vector path may round differently in the last bits).
    QVERIFY(at::allclose(geglu(input).to(at::kDouble), ours[0], 0.0, 1e-6));
    const std::vector<at::Tensor> fallback = evaluate(true, at::kDouble);
    QVERIFY(fallback[2].item<int64_t>() == 1);
    QVERIFY(at::allclose(fallback[0], exact[0], 1e-12, 1e-12) && at::allclose(fallback[1], exact[1], 1e-12, 1e-12));
}

// silu(group_norm(x)) in one operator equals ATen's two, forward and every gradient (input, scale and shift),
// on the tiny model's shapes, an odd plane, a large mean (the variance and the centred sums must not cancel),
// and as a shipped model's norm would see it (no gradient wanted at all).
void TestEngine::groupNormSiluMatchesAtenOperators_data()
{
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<int>("groups");
    QTest::addColumn<double>("offset");
    QTest::newRow("tiny UNet 16x16") << QList<qint64>{4, 32, 16, 16} << 16 << 0.0;
    QTest::newRow("tiny UNet 4x4, 8 channels a group") << QList<qint64>{5, 128, 4, 4} << 16 << 0.0;
    QTest::newRow("odd plane") << QList<qint64>{3, 12, 7, 5} << 4 << 0.0;
    QTest::newRow("large mean") << QList<qint64>{2, 32, 9, 9} << 8 << 100.0;
    QTest::newRow("one group, one sample") << QList<qint64>{1, 6, 3, 3} << 1 << -3.0;
}

void TestEngine::groupNormSiluMatchesAtenOperators()
{
    QFETCH(QList<qint64>, shape);
    QFETCH(int, groups);
    QFETCH(double, offset);
    torch::manual_seed(11);
    torch::nn::GroupNorm norm(torch::nn::GroupNormOptions(groups, shape[1]).eps(1e-5));
    {
        torch::NoGradGuard noGrad;
        norm->weight.uniform_(0.5, 1.5);
        norm->bias.uniform_(-0.5, 0.5);
    }
    const at::Tensor input = at::randn({shape[0], shape[1], shape[2], shape[3]}) * 2.0 + offset;
    const at::Tensor upstream = at::randn(input.sizes());
    // Output and gradients (input, scale, shift) of silu(group_norm(.)) from `run`, on `input` in `type`.
    const auto evaluate = [&](const std::function<at::Tensor(const at::Tensor &, torch::nn::GroupNorm &)> &run, at::ScalarType type) {
        torch::nn::GroupNorm copy(torch::nn::GroupNormOptions(groups, shape[1]).eps(1e-5));
        {
            torch::NoGradGuard noGrad;
            copy->weight.copy_(norm->weight);
            copy->bias.copy_(norm->bias);
        }
        copy->to(type);
        at::Tensor x = input.to(type).clone().requires_grad_(true);
        const at::Tensor y = run(x, copy);
        (y * upstream.to(type)).sum().backward();
        return std::vector<at::Tensor>{y.detach().to(at::kDouble), x.grad().to(at::kDouble), copy->weight.grad().to(at::kDouble),
                                       copy->bias.grad().to(at::kDouble), at::tensor(int64_t(y.grad_fn() && y.grad_fn()->name() == "SiluBackward0"))};
    };
    const auto aten = [](const at::Tensor &x, torch::nn::GroupNorm &n) { return at::silu(n(x)); };
    const auto fused = [](const at::Tensor &x, torch::nn::GroupNorm &n) { return groupNormSilu(x, n); };
    const std::vector<at::Tensor> exact = evaluate(aten, at::kDouble), ours = evaluate(fused, at::kFloat), theirs = evaluate(aten, at::kFloat);
    QVERIFY(ours[4].item<int64_t>() == 0);   // the fused operator ran, not ATen's pair
    // Within float32's own rounding: no worse than ATen's float32 pair (twice its error), and tight in absolute terms.
    const char *names[] = {"output", "input gradient", "scale gradient", "shift gradient"};
    for (int i = 0; i < 4; ++i) {
        const double scale = std::max(1.0, exact[size_t(i)].abs().max().item<double>());
        const double error = (ours[size_t(i)] - exact[size_t(i)]).abs().max().item<double>() / scale;
        const double atenError = (theirs[size_t(i)] - exact[size_t(i)]).abs().max().item<double>() / scale;
        QVERIFY2(error <= std::max(2e-6, 2.0 * atenError), qPrintable(QStringLiteral("%1: %2 against ATen's %3").arg(names[i]).arg(error).arg(atenError)));
    }

    // A frozen norm and an input that wants no gradient (a shipped model sampling): nothing to differentiate.
    for (at::Tensor &p : norm->parameters())
        p.set_requires_grad(false);
    const at::Tensor frozen = groupNormSilu(input, norm);
    QVERIFY(!frozen.requires_grad());
    QVERIFY(at::allclose(frozen.to(at::kDouble), ours[0], 0.0, 1e-6));
    // Only the input's gradient wanted (a LoRA finetune): the same input gradient.
    at::Tensor z = input.clone().requires_grad_(true);
    (groupNormSilu(z, norm) * upstream).sum().backward();
    QVERIFY(at::allclose(z.grad().to(at::kDouble), ours[1], 0.0, 1e-6));
    // Another type takes ATen's operators: the same values to the last bit.
    const std::vector<at::Tensor> fallback = evaluate(fused, at::kDouble);
    QVERIFY(fallback[4].item<int64_t>() == 1);
    for (int i = 0; i < 4; ++i)
        QVERIFY(at::equal(fallback[size_t(i)], exact[size_t(i)]));
}

// The finetune's optimizer does torch.optim.AdamW's arithmetic (one fused pass on the CPU in float32, foreach
// kernels otherwise): over several steps, with two learning-rate groups, weight decay and a tensor without a
// gradient, the parameters equal those of LibTorch's own AdamW. The large tensors span several of the fused
// pass's element ranges; double tensors take the foreach path.
void TestEngine::multiTensorAdamWMatchesTorchAdamW_data()
{
    QTest::addColumn<bool>("fused");
    QTest::newRow("float32: one fused pass") << true;
    QTest::newRow("float64: foreach kernels") << false;
}

void TestEngine::multiTensorAdamWMatchesTorchAdamW()
{
    QFETCH(bool, fused);
    torch::manual_seed(4);
    std::vector<at::Tensor> ours, theirs;
    for (const auto &shape : std::vector<std::vector<int64_t>>{{8, 5}, {150, 130}, {3, 8, 1, 1}, {40000}, {7}, {4, 4}}) {
        ours.push_back(at::randn(shape, fused ? at::kFloat : at::kDouble).requires_grad_(true));
        theirs.push_back(ours.back().detach().clone().requires_grad_(true));
    }
    MultiTensorAdamW mine({{{ours[0], ours[1], ours[2]}, 1e-2}, {{ours[3], ours[4], ours[5]}, 3e-3}}, 0.01);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<at::Tensor>{theirs[0], theirs[1], theirs[2]}, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-2).weight_decay(0.01)));
    groups.emplace_back(std::vector<at::Tensor>{theirs[3], theirs[4], theirs[5]}, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(3e-3).weight_decay(0.01)));
    torch::optim::AdamW reference(groups, torch::optim::AdamWOptions(1e-2));
    for (int step = 0; step < 6; ++step) {
        mine.zeroGrad();
        reference.zero_grad();
        for (size_t i = 0; i < ours.size(); ++i) {
            if (i == 5 && step % 2 == 1)
                continue;   // no gradient this step: left alone by both
            const at::Tensor target = at::randn(ours[i].sizes());
            (ours[i] * target).pow(2).sum().backward();
            (theirs[i] * target).pow(2).sum().backward();
        }
        if (step % 2 == 1)
            theirs[5].mutable_grad() = at::Tensor();
        mine.step();
        reference.step();
    }
    for (size_t i = 0; i < ours.size(); ++i) {
        QVERIFY2(at::allclose(ours[i], theirs[i], 1e-6, 1e-7), qPrintable(QString::number(i)));
        QVERIFY(!at::equal(ours[i], ours[i].detach().clone().zero_()));
    }
}

// Clipping equals torch.nn.utils.clip_grad_norm_; unscaling divides and reports a non-finite gradient.
void TestEngine::gradientClippingAndUnscaling()
{
    torch::manual_seed(5);
    for (const at::ScalarType type : {at::kFloat, at::kDouble}) {   // one fused pass; foreach kernels
        std::vector<at::Tensor> a{at::randn({10, 3}, type) * 4, at::randn({40000}, type) * 0.01, at::randn({6}, type)}, b;
        for (const at::Tensor &t : a)
            b.push_back(t.clone());
        const double norm = clipGradientNorm(a, 1.0);
        QVERIFY(std::abs(norm / std::sqrt((b[0].pow(2).sum() + b[1].pow(2).sum() + b[2].pow(2).sum()).item<double>()) - 1.0) < 1e-6);
        QVERIFY(norm > 1.0);
        std::vector<at::Tensor> params;
        for (const at::Tensor &t : b) {
            params.push_back(t.clone().requires_grad_(true));
            params.back().mutable_grad() = t.clone();
        }
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(at::allclose(a[i], params[i].grad(), 1e-6, 1e-7));
        QVERIFY(std::abs(at::stack(at::_foreach_norm(a, 2)).norm().item<double>() - 1.0) < 1e-5);
        // Below the limit nothing changes.
        std::vector<at::Tensor> small{b[2].clone() * 1e-3};
        const at::Tensor before = small[0].clone();
        QVERIFY(clipGradientNorm(small, 1.0) < 1.0);
        QVERIFY(at::equal(small[0], before));
    }

    std::vector<at::Tensor> g{at::full({3}, 8.0), at::full({2}, 4.0)};
    QVERIFY(unscaleGradients(g, 4.0));
    QCOMPARE(g[0][0].item<double>(), 2.0);
    QCOMPARE(g[1][1].item<double>(), 1.0);
    g[1][0] = std::numeric_limits<double>::infinity();
    QVERIFY(!unscaleGradients(g, 2.0));
}

#include "tst_engine.moc"
