#pragma once

#include <QImage>
#include <QString>

namespace redifine {

// Writes a PNG atomically (temporary file, then rename) with an A1111-style "parameters" text chunk (Infotext.h),
// so a kill or a full disk never leaves a truncated image under `path`. The text goes in verbatim, newlines
// included, as an uncompressed tEXt chunk (ASCII) or iTXt chunk (UTF-8) before the image data, where A1111
// and ComfyUI read it. Throws RuntimeError naming the file.
void writePngAtomically(const QString &path, const QImage &image, const QString &parameters = {});

} // namespace redifine
