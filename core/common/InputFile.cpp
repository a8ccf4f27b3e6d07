#include "core/common/InputFile.h"

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

} // namespace redifine
