#include "core/common/InputFile.h"

#include "core/common/Error.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace redifine {

namespace {

QString kindOf(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("a device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("a special file");
}

} // namespace

QString openInputFile(QFile &file, QIODevice::OpenMode mode)
{
    const QByteArray path = QFile::encodeName(file.fileName());
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat could look at it.
    const int fd = ::open(path.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        const QString problem = QStringLiteral("not a regular file (%1)").arg(kindOf(info.st_mode));
        ::close(fd);
        return problem;
    }
    ::close(fd);
    // Opened again by name, so that fileName() stays what the caller's messages print. (A file swapped for a
    // FIFO in between would block: that takes an attacker already able to write the folder.)
    if (!file.open(mode))
        return file.errorString();
    return {};
}

bool isRegularFile(const QString &path)
{
    struct stat info {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 && S_ISREG(info.st_mode);
}

QStringList filesWithSuffixes(const QDir &dir, const QStringList &suffixes)
{
    QStringList names;
    // QDir::System lists what QDir::Files leaves out silently: broken links and special files.
    for (const QString &name : dir.entryList(QDir::Files | QDir::System, QDir::Name)) {
        if (!suffixes.contains(QFileInfo(name).suffix().toLower()))
            continue;
        const QString path = dir.filePath(name);
        struct stat info {};
        if (::stat(QFile::encodeName(path).constData(), &info) != 0)
            throw InputError(QStringLiteral("%1: cannot be read (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno))).toStdString());
        if (!S_ISREG(info.st_mode))
            throw InputError(QStringLiteral("%1: not a regular file (%2)").arg(path, kindOf(info.st_mode)).toStdString());
        names << name;
    }
    return names;
}

} // namespace redifine
