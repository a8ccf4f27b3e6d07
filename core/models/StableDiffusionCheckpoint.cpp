#include "core/models/StableDiffusionCheckpoint_p.h"

#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/io/TensorIo_p.h"
#include "core/models/LdmNames.h"
#include "core/models/StateDict_p.h"

#include <QDir>
#include <QFileInfo>

#include <array>
#include <functional>

namespace redifine {

namespace {

// diffusers writes diffusion_pytorch_model.safetensors (and .fp16.safetensors variants); transformers model.safetensors.
QString weightsFile(const QDir &dir, const QStringList &names)
{
    for (const QString &name : names)
        if (dir.exists(name))
            return dir.filePath(name);
    throw InputError(QStringLiteral("%1: none of %2 found (a diffusers folder needs safetensors weights)")
                         .arg(dir.path(), names.join(QStringLiteral(", ")))
                         .toStdString());
}

using CheckpointName = std::function<std::string(const std::string &)>;

// The LDM single-file name of each parameter of the UNet, the VAE and the text encoder, in that order.
std::array<CheckpointName, 3> singleFileNames(const StableDiffusionWeights &w)
{
    const UNetConfig unet = w.unetConfig;
    const VaeConfig vae = w.vaeConfig;
    return {[unet](const std::string &name) { return ldmUNetName(QString::fromStdString(name), unet).toStdString(); },
            [vae](const std::string &name) { return ldmVaeName(QString::fromStdString(name), vae).toStdString(); },
            [](const std::string &name) { return ldmTextEncoderName(QString::fromStdString(name)).toStdString(); }};
}

} // namespace

StableDiffusionWeights loadStableDiffusion(const QString &path, const UNetConfig &unetConfig, const VaeConfig &vaeConfig,
                                           const TextEncoderConfig &textConfig)
{
    StableDiffusionWeights w;
    w.unetConfig = unetConfig;
    w.vaeConfig = vaeConfig;
    w.textConfig = textConfig;
    if (QFileInfo(path).isDir()) {
        const QDir root(path);
        for (const char *part : {"unet", "vae", "text_encoder"})
            if (!root.exists(QLatin1String(part)))
                throw InputError(QStringLiteral("%1: not a diffusers Stable Diffusion folder (no %2/)").arg(path, QLatin1String(part)).toStdString());
        if (const QJsonObject c = json::readObjectFile(root.filePath(QStringLiteral("unet/config.json"))); !c.isEmpty())
            w.unetConfig = UNetConfig::fromJson(c, root.filePath(QStringLiteral("unet/config.json")));
        if (const QJsonObject c = json::readObjectFile(root.filePath(QStringLiteral("vae/config.json"))); !c.isEmpty())
            w.vaeConfig = VaeConfig::fromJson(c, root.filePath(QStringLiteral("vae/config.json")));
        if (const QJsonObject c = json::readObjectFile(root.filePath(QStringLiteral("text_encoder/config.json"))); !c.isEmpty())
            w.textConfig = TextEncoderConfig::fromJson(c, root.filePath(QStringLiteral("text_encoder/config.json")));
        w = stableDiffusionModules(w.unetConfig, w.vaeConfig, w.textConfig);
        const QStringList diffusersNames{QStringLiteral("diffusion_pytorch_model.safetensors"), QStringLiteral("diffusion_pytorch_model.fp16.safetensors")};
        loadWeights(*w.unet, SafetensorsReader(weightsFile(QDir(root.filePath(QStringLiteral("unet"))), diffusersNames)), std::string(), QStringLiteral("SD1.x UNet"));
        loadWeights(*w.vae, SafetensorsReader(weightsFile(QDir(root.filePath(QStringLiteral("vae"))), diffusersNames)), std::string(), QStringLiteral("SD1.x VAE"));
        loadWeights(*w.textEncoder,
                    SafetensorsReader(weightsFile(QDir(root.filePath(QStringLiteral("text_encoder"))),
                                                  {QStringLiteral("model.safetensors"), QStringLiteral("model.fp16.safetensors")})),
                    std::string(), QStringLiteral("SD1.x CLIP text encoder"));
        if (root.exists(QStringLiteral("tokenizer/vocab.json")) && root.exists(QStringLiteral("tokenizer/merges.txt"))) {
            w.vocabPath = root.filePath(QStringLiteral("tokenizer/vocab.json"));
            w.mergesPath = root.filePath(QStringLiteral("tokenizer/merges.txt"));
        }
        return w;
    }
    // One original single file: every part under its LDM prefix; keys outside the three models (DDPM buffers,
    // model_ema.*, position_ids) are not parameters and are ignored.
    const SafetensorsReader reader(path);
    if (!reader.contains("model.diffusion_model.input_blocks.0.0.weight"))
        throw InputError(QStringLiteral("%1: not an SD1.x single-file checkpoint (no model.diffusion_model.input_blocks.0.0.weight)").arg(path).toStdString());
    w = stableDiffusionModules(w.unetConfig, w.vaeConfig, w.textConfig);
    const std::array<CheckpointName, 3> names = singleFileNames(w);
    loadWeights(*w.unet, reader, names[0], QStringLiteral("SD1.x UNet"));
    loadWeights(*w.vae, reader, names[1], QStringLiteral("SD1.x VAE"));
    loadWeights(*w.textEncoder, reader, names[2], QStringLiteral("SD1.x CLIP text encoder"));
    return w;
}

StableDiffusionWeights stableDiffusionModules(const UNetConfig &unetConfig, const VaeConfig &vaeConfig, const TextEncoderConfig &textConfig)
{
    StableDiffusionWeights w;
    w.unetConfig = unetConfig;
    w.vaeConfig = vaeConfig;
    w.textConfig = textConfig;
    w.unet = UNet(unetConfig);
    w.vae = Autoencoder(vaeConfig);
    w.textEncoder = TextEncoder(textConfig);
    return w;
}

void checkSingleFileLayout(const StableDiffusionWeights &modules, const TensorShapes &shapes, const QString &source)
{
    const std::array<CheckpointName, 3> names = singleFileNames(modules);
    checkLayout(*modules.unet, shapes, names[0], QStringLiteral("SD1.x UNet"), source);
    checkLayout(*modules.vae, shapes, names[1], QStringLiteral("SD1.x VAE"), source);
    checkLayout(*modules.textEncoder, shapes, names[2], QStringLiteral("SD1.x CLIP text encoder"), source);
}

} // namespace redifine
