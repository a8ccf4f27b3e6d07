#include "core/chain/Presets.h"

#include "core/chain/ChainConfig.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace redifine {

namespace {

QString presetsDir()
{
    return findResource(QStringLiteral("presets"));
}

QJsonObject readPreset(const QString &path)
{
    QFile in(path);
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll());
    if (!document.isObject() || !document.object().value(QStringLiteral("config")).isObject())
        throw InputError(QStringLiteral("%1: not a preset (expected {\"description\", \"config\"})").arg(path).toStdString());
    return document.object();
}

} // namespace

QJsonObject mergeJson(QJsonObject base, const QJsonObject &overrides)
{
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        if (it.value().isObject() && base.value(it.key()).isObject())
            base.insert(it.key(), mergeJson(base.value(it.key()).toObject(), it.value().toObject()));
        else
            base.insert(it.key(), it.value());
    }
    return base;
}

QList<QPair<QString, QString>> listPresets()
{
    QList<QPair<QString, QString>> presets;
    const QString dir = presetsDir();
    if (dir.isEmpty())
        return presets;
    for (const QFileInfo &info : QDir(dir).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        presets.append({info.completeBaseName(), readPreset(info.filePath()).value(QStringLiteral("description")).toString()});
    return presets;
}

QJsonObject presetConfig(const QString &name)
{
    const QString dir = presetsDir();
    const QString path = dir.isEmpty() ? QString() : QDir(dir).filePath(name + QStringLiteral(".json"));
    if (path.isEmpty() || !QFile::exists(path)) {
        QStringList names;
        for (const auto &preset : listPresets())
            names << preset.first;
        throw InputError(QStringLiteral("chain --preset: unknown preset \"%1\" (see redifine chain --presets: %2)")
                             .arg(name, names.join(QStringLiteral(", ")))
                             .toStdString());
    }
    QJsonObject preset = readPreset(path);
    QJsonObject config = mergeJson(ChainConfig().toJson(), preset.value(QStringLiteral("config")).toObject());
    config.insert(QStringLiteral("description"), preset.value(QStringLiteral("description")));
    return config;
}

} // namespace redifine
