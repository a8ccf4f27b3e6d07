#include "core/common/AtomicFile.h"

#include "core/common/Error.h"

#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace redifine {

QString fileErrorText(const QFileDevice &file, int savedErrno)
{
    const QString qt = file.errorString();
    if (!qt.isEmpty() && qt != QLatin1String("Unknown error"))
        return qt;
    return savedErrno != 0 ? QString::fromLocal8Bit(std::strerror(savedErrno)) : QStringLiteral("the system gave no reason");
}

void writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    errno = 0;
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        const int saved = errno;
        throw RuntimeError(QStringLiteral("%1: write failed (%2)").arg(path, fileErrorText(file, saved)).toStdString());
    }
}

QString makeFolder(const QString &path)
{
    std::error_code error;
    std::filesystem::create_directories(std::filesystem::path(QFile::encodeName(path).toStdString()), error);
    if (error)
        return QString::fromLocal8Bit(error.message().c_str());
    if (!QFileInfo(path).isDir())
        return QStringLiteral("not a folder");
    return {};
}

} // namespace redifine
