// Stable Diffusion 1.x checkpoints: the LDM single-file names of every tensor of the real SD1.5 manifest, the
// tiny golden single file loading into exactly the diffusers/transformers weights, a diffusers folder, and
// refusals that name the problem (a renamed or reshaped tensor, a pickle, a folder without weights).
#include "core/common/Error.h"
#include "core/io/TensorIo_p.h"
#include "core/models/LdmNames.h"
#include "core/models/Lora_p.h"
#include "core/models/StableDiffusionCheckpoint_p.h"
#include "core/models/StateDict_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

#define GOLDEN(name) QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/" name)

namespace {

QJsonObject readConfig(const QString &path)
{
    QFile in(path);
    in.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(in.readAll()).object();
}

double maxDifference(const torch::nn::Module &a, const torch::nn::Module &b)
{
    double worst = 0.0;
    const auto left = a.named_parameters(true), right = b.named_parameters(true);
    for (const auto &item : left)
        worst = std::max(worst, (item.value() - right[item.key()]).abs().max().item<double>());
    return worst;
}

} // namespace

class TestSdCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ldmNamesOfTheRealManifest()
    {
        QFile tsv(GOLDEN("manifest_sd15_ldm_keys.tsv"));
        QVERIFY(tsv.open(QIODevice::ReadOnly));
        tsv.readLine();
        int checked = 0;
        const UNetConfig unet;
        const VaeConfig vae;
        while (!tsv.atEnd()) {
            const QStringList fields = QString::fromUtf8(tsv.readLine()).trimmed().split(QLatin1Char('\t'));
            const QString ldm = fields[0], diffusers = fields[3];
            if (diffusers == QLatin1String("-"))
                continue;   // position_ids: a buffer, not a parameter
            QString ours;
            if (ldm.startsWith(QLatin1String("model.diffusion_model.")))
                ours = ldmUNetName(diffusers, unet);
            else if (ldm.startsWith(QLatin1String("first_stage_model.")))
                ours = ldmVaeName(diffusers, vae);
            else
                ours = ldmTextEncoderName(diffusers);
            QCOMPARE(ours, ldm);
            ++checked;
        }
        QCOMPARE(checked, 1130);
    }

    // Every name and shape of the real SD1.5 single file (the published manifest: 1,131 tensors, no data)
    // against full-size modules built from SD1.5's configs; one renamed or reshaped tensor is named.
    void realManifestFitsFullSizeModules()
    {
        QFile tsv(GOLDEN("manifest_sd15_ldm_keys.tsv"));
        QVERIFY(tsv.open(QIODevice::ReadOnly));
        tsv.readLine();
        TensorShapes manifest;
        while (!tsv.atEnd()) {
            const QStringList fields = QString::fromUtf8(tsv.readLine()).trimmed().split(QLatin1Char('\t'));
            std::vector<int64_t> shape;
            for (const QString &size : fields[1].mid(1, fields[1].size() - 2).split(QLatin1Char(','), Qt::SkipEmptyParts))
                shape.push_back(size.trimmed().toLongLong());
            manifest[fields[0].toStdString()] = shape;
        }
        QCOMPARE(int(manifest.size()), 1131);
        // The modules from the configs the manifests were made with (SD1.5's diffusers configs).
        const QJsonObject configs = readConfig(GOLDEN("manifest_sd15_unet.json")).value("configs").toObject();
        StableDiffusionWeights modules = stableDiffusionModules(UNetConfig::fromJson(configs.value("unet").toObject()),
                                                                      VaeConfig::fromJson(configs.value("vae").toObject()),
                                                                      TextEncoderConfig::fromJson(configs.value("clip_text").toObject()));
        checkSingleFileLayout(modules, manifest, QStringLiteral("manifest"));
        // The diffusers-folder layout of the same checkpoint, part by part: every name, shape and the totals.
        const std::pair<const torch::nn::Module *, const char *> parts[] = {
            {modules.unet.get(), "manifest_sd15_unet.json"}, {modules.vae.get(), "manifest_sd15_vae.json"},
            {modules.textEncoder.get(), "manifest_sd15_clip_text.json"}};
        QStringList kohyaModules, kohyaLoconModules;
        for (const auto &[module, file] : parts) {
            const QJsonObject part = readConfig(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/") + QLatin1String(file));
            TensorShapes diffusers;
            for (const QJsonValue &entry : part.value("entries").toArray()) {
                std::vector<int64_t> shape;
                for (const QJsonValue &size : entry.toObject().value("shape").toArray())
                    shape.push_back(size.toInteger());
                diffusers[entry.toObject().value("diffusers").toString().toStdString()] = shape;
            }
            checkLayout(*module, diffusers, [](const std::string &name) { return name; }, QString::fromLatin1(file), QString::fromLatin1(file));
            QCOMPARE(parameterCount(*module), int64_t(part.value("n_params").toInteger()));
            QCOMPARE(int64_t(module->named_parameters().size()), int64_t(part.value("n_tensors").toInteger()));
            // kohya's LoRA targets, read off the manifest: the Linear / 1x1-conv weights inside the UNet's
            // Transformer2D blocks, the text encoder's self-attention and MLP projections.
            for (const QJsonValue &entry : part.value("entries").toArray()) {
                const QString name = entry.toObject().value("diffusers").toString();
                const bool unet = file == std::string("manifest_sd15_unet.json");
                static const QRegularExpression unetTarget(QStringLiteral("attentions\\.\\d+\\.(proj_in|proj_out|transformer_blocks\\.\\d+\\."
                                                                          "(attn[12]\\.(to_q|to_k|to_v|to_out\\.0)|ff\\.net\\.(0\\.proj|2)))\\.weight$"));
                static const QRegularExpression textTarget(QStringLiteral("(self_attn\\.(q|k|v|out)_proj|mlp\\.fc[12])\\.weight$"));
                if ((unet && unetTarget.match(name).hasMatch()) || (file == std::string("manifest_sd15_clip_text.json") && textTarget.match(name).hasMatch()))
                    kohyaModules << QString(unet ? "lora_unet_" : "lora_te_") + name.chopped(7).replace(QLatin1Char('.'), QLatin1Char('_'));
                // kohya's conv_dim adds every Conv2d and Linear inside ResnetBlock2D, Downsample2D and Upsample2D.
                static const QRegularExpression loconTarget(QStringLiteral("(resnets\\.\\d+\\.(conv1|conv2|conv_shortcut|time_emb_proj)"
                                                                           "|(downsamplers|upsamplers)\\.0\\.conv)\\.weight$"));
                if (unet && loconTarget.match(name).hasMatch())
                    kohyaLoconModules << QStringLiteral("lora_unet_") + QString(name).chopped(7).replace(QLatin1Char('.'), QLatin1Char('_'));
            }
        }
        // LoCon: 22 ResNet blocks x 3 layers, 14 shortcuts, 3 down- and 3 upsamplers; with the 192 attention
        // targets, the 278 UNet modules kohya reports for SD1.5 with conv_dim set.
        QStringList ourLocon;
        for (const auto &[name, layer] : loconTargets(*modules.unet))
            ourLocon << QString::fromStdString(name);
        ourLocon.sort();
        kohyaLoconModules.sort();
        QCOMPARE(kohyaLoconModules.size(), 86);
        QCOMPARE(ourLocon, kohyaLoconModules);
        // The adapters made here for the full-size model are exactly those: 16 x 12 on the UNet, 12 x 6 on CLIP.
        QStringList ours;
        for (const auto &[name, layer] : loraTargets(*modules.unet, *modules.textEncoder))
            ours << QString::fromStdString(name);
        ours.sort();
        kohyaModules.sort();
        QCOMPARE(kohyaModules.size(), 264);
        QCOMPARE(ours, kohyaModules);
        // ... and the file written for them has kohya's 3 keys per module and its shapes (rank 32).
        QTemporaryDir dir;
        const QString loraFile = dir.filePath("sd15-lora.safetensors");
        LoraNetwork(*modules.unet, *modules.textEncoder, LoraSettings{}, 1).save(loraFile);
        const SafetensorsReader lora(loraFile);
        QCOMPARE(int(lora.header().tensors.size()), 3 * 264);
        QCOMPARE(lora.header().find("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight")->shape, (std::vector<int64_t>{32, 320, 1, 1}));
        QCOMPARE(lora.header().find("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight")->shape,
                 (std::vector<int64_t>{32, 768}));
        QCOMPARE(lora.header().find("lora_unet_up_blocks_3_attentions_2_transformer_blocks_0_ff_net_0_proj.lora_up.weight")->shape,
                 (std::vector<int64_t>{2560, 32}));
        QCOMPARE(lora.header().find("lora_te_text_model_encoder_layers_11_mlp_fc1.lora_up.weight")->shape, (std::vector<int64_t>{3072, 32}));
        QCOMPARE(lora.tensor("lora_te_text_model_encoder_layers_11_mlp_fc1.alpha").item<double>(), 8.0);

        const auto refused = [&](const TensorShapes &broken, const std::string &name) {
            try {
                checkSingleFileLayout(modules, broken, QStringLiteral("manifest"));
                return false;
            } catch (const InputError &error) {
                return QString::fromUtf8(error.what()).contains(QString::fromStdString(name));
            }
        };
        const std::string reshaped = "model.diffusion_model.middle_block.1.proj_in.weight";
        TensorShapes broken = manifest;
        broken[reshaped] = {1280, 1280, 3, 3};
        QVERIFY(refused(broken, reshaped));
        const std::string renamed = "cond_stage_model.transformer.text_model.encoder.layers.11.mlp.fc2.bias";
        broken = manifest;
        broken.erase(renamed);
        broken[renamed + "_renamed"] = manifest.at(renamed);
        QVERIFY(refused(broken, renamed));
    }

    void tinySingleFileEqualsTheDiffusersWeights()
    {
        const UNetConfig unetConfig = UNetConfig::fromJson(readConfig(GOLDEN("unet_config.json")));
        const VaeConfig vaeConfig = VaeConfig::fromJson(readConfig(GOLDEN("vae_config.json")));
        const TextEncoderConfig textConfig = TextEncoderConfig::fromJson(readConfig(GOLDEN("clip_text_config.json")));
        const StableDiffusionWeights w = loadStableDiffusion(GOLDEN("sd15_tiny_ldm.safetensors"), unetConfig, vaeConfig, textConfig);
        UNet unet(unetConfig);
        Autoencoder vae(vaeConfig);
        TextEncoder text(textConfig);
        loadWeights(*unet, SafetensorsReader(GOLDEN("unet_diffusers.safetensors")), std::string(), "UNet");
        loadWeights(*vae, SafetensorsReader(GOLDEN("vae_diffusers.safetensors")), std::string(), "VAE");
        loadWeights(*text, SafetensorsReader(GOLDEN("clip_text_transformers.safetensors")), std::string(), "CLIP text");
        QCOMPARE(maxDifference(*w.unet, *unet), 0.0);
        QCOMPARE(maxDifference(*w.vae, *vae), 0.0);   // including the [C, C, 1, 1] mid-block attention
        QCOMPARE(maxDifference(*w.textEncoder, *text), 0.0);
    }

    void diffusersFolderLoads()
    {
        QTemporaryDir dir;
        for (const auto &[part, file, weights, config] :
             {std::tuple{"unet", "diffusion_pytorch_model.safetensors", "unet_diffusers.safetensors", "unet_config.json"},
              std::tuple{"vae", "diffusion_pytorch_model.safetensors", "vae_diffusers.safetensors", "vae_config.json"},
              std::tuple{"text_encoder", "model.safetensors", "clip_text_transformers.safetensors", "clip_text_config.json"}}) {
            QDir().mkpath(dir.filePath(part));
            QVERIFY(QFile::copy(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/") + weights, dir.filePath(QStringLiteral("%1/%2").arg(part, file))));
            QVERIFY(QFile::copy(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/") + config, dir.filePath(QStringLiteral("%1/config.json").arg(part))));
        }
        QDir().mkpath(dir.filePath("tokenizer"));
        QFile::copy(GOLDEN("tokenizer_vocab.json"), dir.filePath("tokenizer/vocab.json"));
        QFile::copy(GOLDEN("tokenizer_merges.txt"), dir.filePath("tokenizer/merges.txt"));
        const StableDiffusionWeights w = loadStableDiffusion(dir.path());
        QCOMPARE(w.unetConfig.blockOutChannels, (std::vector<int>{16, 32, 32, 32}));
        QCOMPARE(w.vocabPath, dir.filePath("tokenizer/vocab.json"));
        const StableDiffusionWeights single = loadStableDiffusion(GOLDEN("sd15_tiny_ldm.safetensors"), w.unetConfig, w.vaeConfig, w.textConfig);
        QCOMPARE(maxDifference(*w.unet, *single.unet), 0.0);
        QFile::remove(dir.filePath("vae/diffusion_pytorch_model.safetensors"));
        try {
            loadStableDiffusion(dir.path());
            QFAIL("accepted a folder without VAE weights");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("vae"), error.what());
        }
    }

    void renamedOrReshapedTensorsAreNamed_data()
    {
        QTest::addColumn<QString>("victim");
        QTest::addColumn<bool>("reshape");
        QTest::addRow("renamed UNet tensor") << "model.diffusion_model.output_blocks.5.2.conv.weight" << false;
        QTest::addRow("reshaped VAE tensor") << "first_stage_model.decoder.mid.attn_1.q.weight" << true;
        QTest::addRow("renamed text tensor") << "cond_stage_model.transformer.text_model.final_layer_norm.weight" << false;
    }
    void renamedOrReshapedTensorsAreNamed()
    {
        QFETCH(QString, victim);
        QFETCH(bool, reshape);
        QTemporaryDir dir;
        NamedTensors tensors = SafetensorsReader(GOLDEN("sd15_tiny_ldm.safetensors")).all();
        for (auto &[name, tensor] : tensors)
            if (QString::fromStdString(name) == victim) {
                if (reshape)
                    tensor = tensor.flatten().narrow(0, 0, tensor.numel() - 1).clone();
                else
                    name += "_renamed";
            }
        const QString file = dir.filePath("broken.safetensors");
        writeSafetensors(file, tensors);
        try {
            loadStableDiffusion(file, UNetConfig::fromJson(readConfig(GOLDEN("unet_config.json"))), VaeConfig::fromJson(readConfig(GOLDEN("vae_config.json"))),
                                TextEncoderConfig::fromJson(readConfig(GOLDEN("clip_text_config.json"))));
            QFAIL("accepted");
        } catch (const InputError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(victim) && message.contains(file), qPrintable(message));
        }
    }

    void picklesAreNeverOpened()
    {
        QTemporaryDir dir;
        const QString ckpt = dir.filePath("model.ckpt");
        QFile out(ckpt);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("\x80\x02}q\x00.");   // a pickle
        out.close();
        try {
            loadStableDiffusion(ckpt);
            QFAIL("opened a pickle");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("pickle"), error.what());
        }
        // The same bytes named .safetensors fail as a malformed safetensors file, not as a crash.
        QVERIFY(QFile::copy(ckpt, dir.filePath("model.safetensors")));
        QVERIFY_THROWS_EXCEPTION(InputError, loadStableDiffusion(dir.filePath("model.safetensors")));
    }
};

QTEST_GUILESS_MAIN(TestSdCheckpoint)
#include "tst_sdcheckpoint.moc"
