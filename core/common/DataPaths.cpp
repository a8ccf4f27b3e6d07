#include "core/common/DataPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace redifine {

QString findResource(const QString &relativePath)
{
    QStringList roots;
    if (!qEnvironmentVariableIsEmpty("REDIFINE_DATA_DIR"))
        roots << qEnvironmentVariable("REDIFINE_DATA_DIR");
    if (QCoreApplication::instance())
        roots << QCoreApplication::applicationDirPath() + QStringLiteral("/../share/redifine-studio");
    roots << QStringLiteral(REDIFINE_SOURCE_RESOURCES);
    for (const QString &root : roots) {
        const QString path = QDir(root).filePath(relativePath);
        if (QFile::exists(path))
            return QDir::cleanPath(path);
    }
    return {};
}

QString defaultTinyModelPath()
{
    return findResource(QStringLiteral("models/tiny-base.safetensors"));
}

} // namespace redifine
