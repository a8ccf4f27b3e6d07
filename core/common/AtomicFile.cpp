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
    // A file that cannot be created (no permission, no such folder, a name too long) is the path the user gave:
    // bad input. A write that fails once it is open (a full disk) is not.
    if (!file.open(QIODevice::WriteOnly)) {
        const int saved = errno;
        throw InputError(QStringLiteral("%1: cannot create (%2)").arg(path, fileErrorText(file, saved)).toStdString());
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
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
