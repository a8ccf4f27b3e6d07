#include "core/chain/AdapterMetadata.h"

#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace redifine {

namespace {

// A float as kohya writes it (Python's str): the shortest digits that read back, fixed notation for exponents
// -4 .. 15 with at least one decimal ("0.0005", "5.0"), else scientific ("5e-05").
std::string number(double value)
{
    const QString scientific = QString::number(value, 'e', QLocale::FloatingPointShortest);
    const int exponent = scientific.mid(scientific.indexOf(QLatin1Char('e')) + 1).toInt();
    if (exponent < -4 || exponent >= 16)
        return scientific.toStdString();
    QString fixed = QString::number(value, 'f', QLocale::FloatingPointShortest);
    if (!fixed.contains(QLatin1Char('.')))
        fixed += QStringLiteral(".0");
    return fixed.toStdString();
}

std::string pythonBool(bool value)   // kohya writes str(bool)
{
    return value ? "True" : "False";
}

// kohya's model_hash (the old A1111 hash) and calculate_sha256 of a checkpoint file.
std::pair<std::string, std::string> checkpointHashes(const QString &path)
{
    QFile file(path);
    if (const QString problem = openInputFile(file); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    QCryptographicHash whole(QCryptographicHash::Sha256);
    if (!whole.addData(&file))
        throw InputError(QStringLiteral("%1: read failed (%2)").arg(path, file.errorString()).toStdString());
    QByteArray window;
    if (file.size() > 0x100000 && file.seek(0x100000))
        window = file.read(0x10000);
    return {QCryptographicHash::hash(window, QCryptographicHash::Sha256).toHex().left(8).toStdString(),
            whole.result().toHex().toStdString()};
}

} // namespace

std::map<std::string, std::string> kohyaTrainingMetadata(const ChainConfig &c, const AdapterProvenance &p)
{
    const bool sd15 = c.modelFamily == QLatin1String("sd15");
    const std::string outputName = p.outputName.toStdString();
    std::map<std::string, std::string> m;
    m["ss_output_name"] = outputName;
    m["ss_base_model_version"] = sd15 ? "sd_v1" : "redifine_tiny";
    m["ss_v2"] = pythonBool(false);
    m["ss_sd_model_name"] = QFileInfo(p.modelPath).fileName().toStdString();
    if (QFileInfo(p.modelPath).isFile()) {
        const auto [legacy, sha256] = checkpointHashes(p.modelPath);
        m["ss_sd_model_hash"] = legacy;
        m["ss_new_sd_model_hash"] = sha256;
    }
    m["ss_resolution"] = "(" + std::to_string(p.resolution) + ", " + std::to_string(p.resolution) + ")";
    m["ss_num_train_images"] = std::to_string(p.captions.size());
    m["ss_learning_rate"] = number(c.unetLr);
    m["ss_unet_lr"] = number(c.unetLr);
    m["ss_text_encoder_lr"] = number(c.textEncoderLr);
    m["ss_network_train_unet_only"] = pythonBool(c.train == QLatin1String("unet"));
    m["ss_num_epochs"] = std::to_string(c.epochs);
    m["ss_steps"] = std::to_string(p.steps);
    m["ss_max_train_steps"] = std::to_string(p.steps);
    m["ss_batch_size_per_device"] = std::to_string(c.batchSize);
    m["ss_clip_skip"] = std::to_string(c.clipSkip);
    m["ss_caption_dropout_rate"] = number(c.conditionDrop);   // the paper's condition drop p
    m["ss_min_snr_gamma"] = number(c.minSnrGamma);
    m["ss_noise_offset"] = number(c.noiseOffset);
    m["ss_flip_aug"] = pythonBool(c.flip);
    m["ss_seed"] = std::to_string(p.seed);
    m["ss_training_comment"] = c.description.toStdString();

    QJsonObject frequency;
    for (const QString &caption : p.captions)
        for (const QString &raw : caption.split(QLatin1Char(','))) {
            const QString tag = raw.trimmed().toLower();
            if (!tag.isEmpty())
                frequency.insert(tag, frequency.value(tag).toInt() + 1);
        }
    m["ss_tag_frequency"] = QJsonDocument(QJsonObject{{p.datasetName, frequency}}).toJson(QJsonDocument::Compact).toStdString();

    m["modelspec.sai_model_spec"] = "1.0.1";
    m["modelspec.architecture"] = sd15 ? "stable-diffusion-v1/lora" : "redifine-tiny/lora";
    m["modelspec.implementation"] = "diffusers";
    m["modelspec.title"] = outputName;
    m["modelspec.resolution"] = std::to_string(p.resolution) + "x" + std::to_string(p.resolution);
    m["modelspec.prediction_type"] = "epsilon";
    m["modelspec.date"] = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")).toStdString();
    if (c.clipSkip != 1)
        m["modelspec.encoder_layer"] = std::to_string(c.clipSkip);
    return m;
}

} // namespace redifine
