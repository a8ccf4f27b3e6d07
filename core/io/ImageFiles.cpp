#include "core/io/ImageFiles.h"

#include "core/common/Error.h"

#include <QImageWriter>
#include <QSaveFile>

namespace redifine {

void writePngAtomically(const QString &path, const QImage &image, const QString &parameters)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw RuntimeError(QStringLiteral("%1: cannot write (%2)").arg(path, file.errorString()).toStdString());
    QImageWriter writer(&file, "png");
    if (!parameters.isEmpty())
        writer.setText(QStringLiteral("parameters"), parameters);
    if (!writer.write(image) || !file.commit())
        throw RuntimeError(QStringLiteral("%1: write failed (%2)").arg(path, file.errorString()).toStdString());
}

} // namespace redifine
