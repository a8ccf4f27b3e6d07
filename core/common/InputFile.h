#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

namespace redifine {

// Opens `file` (its fileName() set) for reading only when it is a regular file: a FIFO given as an input would
// block the process forever and a device or folder is no input either. Never blocks. Returns an empty string on
// success, else the problem in words ("not a regular file (a FIFO)", or the system's reason) for the caller's
// one-line error naming the file.
QString openInputFile(QFile &file, QIODevice::OpenMode mode = QIODevice::ReadOnly);

// Whether `path` names a regular file (following links), without opening it.
bool isRegularFile(const QString &path);

// The names of the files in `dir` whose suffix (any case) is one of `suffixes` (lower case), sorted. An entry of
// such a name that is not a regular file (a dangling link, a link loop, a FIFO) throws InputError naming it:
// leaving it out would make a result over fewer files than the folder shows.
QStringList filesWithSuffixes(const QDir &dir, const QStringList &suffixes);

} // namespace redifine
