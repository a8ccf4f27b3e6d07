#include "core/diffusion/ImageInfotext.h"

#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/io/Safetensors.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace redifine {

ModelIdentity checkpointIdentity(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return {info.fileName(), {}};
    QFile file(path);
    if (const QString problem = openInputFile(file); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    QCryptographicHash sha(QCryptographicHash::Sha256);
    if (!sha.addData(&file))
        throw InputError(QStringLiteral("%1: read failed (%2)").arg(path, file.errorString()).toStdString());
    return {info.completeBaseName(), QString::fromLatin1(sha.result().toHex().left(10))};
}

AdapterIdentity loraIdentity(const QString &path)
{
    QFile file(path);
    if (const QString problem = openInputFile(file); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    const qint64 size = file.size();
    const uchar *data = size > 0 ? file.map(0, size) : nullptr;
    if (!data)
        throw InputError(QStringLiteral("%1: cannot map (%2)").arg(path, file.errorString()).toStdString());
    const SafetensorsHeader header = parseSafetensorsHeader(data, size_t(size), path);
    AdapterIdentity identity;
    const auto name = header.metadata.find("ss_output_name");
    identity.alias = name != header.metadata.end() && !name->second.empty() ? QString::fromStdString(name->second)
                                                                           : QFileInfo(path).completeBaseName();
    const auto hash = header.metadata.find("sshs_model_hash");
    if (hash != header.metadata.end() && !hash->second.empty()) {
        identity.hash = QString::fromStdString(hash->second).left(12);
    } else {
        const QByteArray afterHeader = QByteArray::fromRawData(reinterpret_cast<const char *>(data + header.dataOffset),
                                                               qsizetype(size_t(size) - header.dataOffset));
        identity.hash = QString::fromLatin1(QCryptographicHash::hash(afterHeader, QCryptographicHash::Sha256).toHex().left(12));
    }
    return identity;
}

QString a1111SamplerName(SamplerKind sampler)
{
    switch (sampler) {
    case SamplerKind::EulerAncestral: return QStringLiteral("Euler a");
    case SamplerKind::Euler: return QStringLiteral("Euler");
    case SamplerKind::Ddim: return QStringLiteral("DDIM");
    }
    return {};
}

Infotext generationInfotext(const ImageRecipe &r)
{
    Infotext info;
    info.prompt = r.prompt;
    info.negativePrompt = r.negativePrompt;
    info.add(QStringLiteral("Steps"), QString::number(r.steps));
    info.add(QStringLiteral("Sampler"), a1111SamplerName(r.sampler));
    info.add(QStringLiteral("CFG scale"), QString::number(r.cfg.scaleAt(0, r.steps)));
    info.add(QStringLiteral("Seed"), QString::number(r.seed));
    info.add(QStringLiteral("Size"), QStringLiteral("%1x%1").arg(r.size));
    if (!r.model.hash.isEmpty())
        info.add(QStringLiteral("Model hash"), r.model.hash);
    info.add(QStringLiteral("Model"), r.model.name);
    if (r.clipSkip != 1)
        info.add(QStringLiteral("Clip skip"), QString::number(r.clipSkip));
    // A piecewise schedule's description leaves out its points; its JSON keeps them.
    info.add(QStringLiteral("CFG schedule"), r.cfg.kind() == CfgSchedule::Kind::Piecewise
                                                 ? QString::fromUtf8(QJsonDocument(r.cfg.toJson()).toJson(QJsonDocument::Compact))
                                                 : r.cfg.describe());
    if (r.spacing != TimestepSpacing::Linspace)
        info.add(QStringLiteral("Timestep spacing"), spacingName(r.spacing));
    if (r.lora)   // A1111's Lora extension: "alias: shorthash", the alias without its commas and colons
        info.add(QStringLiteral("Lora hashes"),
                 QString(r.lora->alias).remove(QLatin1Char(':')).remove(QLatin1Char(',')) + QStringLiteral(": ") + r.lora->hash);
    return info;
}

} // namespace redifine
