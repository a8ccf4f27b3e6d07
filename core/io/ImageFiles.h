#pragma once

#include <QImage>
#include <QString>

namespace redifine {

// Writes a PNG atomically (temporary file, then rename) with an A1111-style "parameters" text chunk, so
// a kill or a full disk never leaves a truncated image under `path`. Throws RuntimeError naming the file.
void writePngAtomically(const QString &path, const QImage &image, const QString &parameters = {});

} // namespace redifine
