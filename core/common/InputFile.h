#pragma once

#include <QFile>
#include <QString>

namespace redifine {

// Opens `file` (its fileName() set) for reading only when it is a regular file: a FIFO given as an input would
// block the process forever and a device or folder is no input either. Never blocks. Returns an empty string on
// success, else the problem in words ("not a regular file (a FIFO)", or the system's reason) for the caller's
// one-line error naming the file.
QString openInputFile(QFile &file, QIODevice::OpenMode mode = QIODevice::ReadOnly);

// Whether `path` names a regular file (following links), without opening it.
bool isRegularFile(const QString &path);

} // namespace redifine
