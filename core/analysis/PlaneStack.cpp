#include "core/analysis/PlaneStack.h"

#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/io/TensorIo_p.h"

#include <QDir>
#include <QImageReader>

namespace redifine {

PlaneStack planesFromImages(const QList<QImage> &images, const QString &what)
{
    if (images.isEmpty())
        throw InputError(QStringLiteral("%1: no images").arg(what).toStdString());
    PlaneStack s;
    s.count = int(images.size());
    s.channels = 3;
    s.height = images.first().height();
    s.width = images.first().width();
    s.values.resize(size_t(s.count) * 3 * s.planeSize());
    for (int n = 0; n < s.count; ++n) {
        if (images[n].size() != images.first().size())
            throw InputError(QStringLiteral("%1: image %2 is %3x%4, the first is %5x%6; analyses need one size")
                                 .arg(what)
                                 .arg(n)
                                 .arg(images[n].width())
                                 .arg(images[n].height())
                                 .arg(s.width)
                                 .arg(s.height)
                                 .toStdString());
        const QImage rgb = images[n].convertToFormat(QImage::Format_RGB888);
        double *r = s.plane(n, 0), *g = s.plane(n, 1), *b = s.plane(n, 2);
        for (int y = 0; y < s.height; ++y) {
            const uchar *line = rgb.constScanLine(y);
            for (int x = 0; x < s.width; ++x) {
                const size_t i = size_t(y) * s.width + x;
                r[i] = line[3 * x] / 255.0;
                g[i] = line[3 * x + 1] / 255.0;
                b[i] = line[3 * x + 2] / 255.0;
            }
        }
    }
    return s;
}

ImageSet::ImageSet(const QString &folder) : m_folder(folder)
{
    const QDir dir(folder);
    if (!dir.exists())
        throw InputError(QStringLiteral("%1: no such folder").arg(folder).toStdString());
    const QStringList files = filesWithSuffixes(dir, {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("webp")});
    for (const QString &file : files) {
        QImageReader reader(dir.filePath(file));
        const QSize size = reader.size();
        if (!size.isValid())
            throw InputError(QStringLiteral("%1: unreadable image (%2)").arg(dir.filePath(file), reader.errorString()).toStdString());
        if (m_files.isEmpty())
            m_size = size;
        else if (size != m_size)
            throw InputError(QStringLiteral("%1: %2x%3, but %4 is %5x%6; analyses need images of one size")
                                 .arg(dir.filePath(file))
                                 .arg(size.width())
                                 .arg(size.height())
                                 .arg(m_files.first())
                                 .arg(m_size.width())
                                 .arg(m_size.height())
                                 .toStdString());
        m_files << file;
    }
    if (m_files.isEmpty())
        throw InputError(QStringLiteral("%1: holds no PNG, JPEG or WebP image").arg(folder).toStdString());
}

QList<QImage> ImageSet::load(int first, int count) const
{
    QList<QImage> images;
    const QDir dir(m_folder);
    for (int i = first; i < std::min(first + count, int(m_files.size())); ++i) {
        QImageReader reader(dir.filePath(m_files[i]));
        const QImage image = reader.read();
        if (image.isNull())
            throw InputError(QStringLiteral("%1: unreadable image (%2)").arg(dir.filePath(m_files[i]), reader.errorString()).toStdString());
        images << image.convertToFormat(QImage::Format_RGB888);
    }
    return images;
}

PlaneStack readLatentPlanes(const QString &path)
{
    const SafetensorsReader reader(path);
    const at::Tensor latents = reader.tensor("latents").to(at::kDouble).contiguous();
    if (latents.dim() != 4 || latents.numel() == 0)
        throw InputError(QStringLiteral("%1: tensor \"latents\" must be [N, C, H, W]").arg(path).toStdString());
    PlaneStack s;
    s.count = int(latents.size(0));
    s.channels = int(latents.size(1));
    s.height = int(latents.size(2));
    s.width = int(latents.size(3));
    s.values.assign(latents.data_ptr<double>(), latents.data_ptr<double>() + latents.numel());
    return s;
}

} // namespace redifine
