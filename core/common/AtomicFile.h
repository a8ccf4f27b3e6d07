#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>

namespace redifine {

// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename): a reader sees the old file or
// the new one, never a part. Throws RuntimeError naming the file and the system's reason ("No space left on
// device"), never Qt's "Unknown error".
void writeFileAtomically(const QString &path, const QByteArray &bytes);

// Why `file` failed, in the system's words: Qt's text when it has one, else errno's (`savedErrno`, read right
// after the failing call).
QString fileErrorText(const QFileDevice &file, int savedErrno);

// Makes the folder `path` and its parents. Returns an empty string when it exists as a folder afterwards, else
// why not in the system's words ("Permission denied", "Not a directory", "No space left on device") for the
// caller's one-line error naming the folder.
QString makeFolder(const QString &path);

} // namespace redifine
