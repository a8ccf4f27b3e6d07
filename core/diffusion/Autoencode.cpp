#include "core/diffusion/Autoencode.h"

#include "core/analysis/PlaneStack.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/data/ImageTensor_p.h"
#include "core/io/ImageFiles.h"
#include "core/models/LatentDiffusion_p.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <cmath>

namespace redifine {

namespace {

// Sum of squared differences of the 8-bit channel values of two RGB888 images of one size.
double squaredError(const QImage &a, const QImage &b)
{
    double sum = 0.0;
    for (int y = 0; y < a.height(); ++y) {
        const uchar *p = a.constScanLine(y), *q = b.constScanLine(y);
        for (int x = 0; x < 3 * a.width(); ++x) {
            const double d = double(p[x]) - double(q[x]);
            sum += d * d;
        }
    }
    return sum;
}

} // namespace

AutoencodeResult runAutoencode(const AutoencodeRequest &r)
{
    const ImageSet set(r.imagesDir);   // refuses an empty folder, unreadable images and mixed sizes, naming them
    const auto model = LatentDiffusion::load(r.model);
    const int side = model->config().resolution;
    if (set.imageSize() != QSize(side, side))
        throw InputError(QStringLiteral("%1: the images are %2x%3, the model's autoencoder takes %4x%4")
                             .arg(r.imagesDir).arg(set.imageSize().width()).arg(set.imageSize().height()).arg(side)
                             .toStdString());
    // Written as PNGs under the originals' base names: two originals of one base name, or the originals' own
    // folder, would lose images.
    QSet<QString> names;
    for (const QString &file : set.files()) {
        const QString base = QFileInfo(file).completeBaseName();
        if (names.contains(base))
            throw InputError(QStringLiteral("%1: two images are named %2; the round trip writes one %2.png").arg(r.imagesDir, base).toStdString());
        names.insert(base);
    }
    if (QFileInfo::exists(r.outDir) && QFileInfo(r.outDir).canonicalFilePath() == QFileInfo(r.imagesDir).canonicalFilePath())
        throw InputError(QStringLiteral("%1: --out is the images' own folder; give another").arg(r.outDir).toStdString());
    if (const QString why = makeFolder(r.outDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the output folder (%2)").arg(r.outDir, why).toStdString());

    torch::NoGradGuard noGrad;
    AutoencodeResult result;
    double squared = 0.0, values = 0.0;
    constexpr int kBatch = 16;
    for (int first = 0; first < set.count(); first += kBatch) {
        const QList<QImage> originals = set.load(first, kBatch);
        const at::Tensor decoded = model->decodeLatents(model->encodeImages(imagesToTensor(originals)));
        // A NaN would become an arbitrary byte in the PNG and a PSNR that looks like a measurement.
        if (!at::isfinite(decoded).all().item<bool>())
            throw InputError(QStringLiteral("%1: the autoencoder of %2 gave non-finite values for images %3-%4")
                                   .arg(r.imagesDir, r.model.path).arg(first).arg(first + originals.size() - 1).toStdString());
        const at::Tensor unit = (decoded.to(at::kCPU, at::kFloat) / 2 + 0.5).clamp(0, 1);
        for (int i = 0; i < originals.size(); ++i) {
            const QString name = set.files().at(first + i);
            const QImage image = tensorToImage(unit[i]).convertToFormat(QImage::Format_RGB888);
            writePngAtomically(QDir(r.outDir).filePath(QFileInfo(name).completeBaseName() + QStringLiteral(".png")), image,
                               QStringLiteral("Source: autoencoder round trip of %1, Model: %2").arg(name, QFileInfo(r.model.path).fileName()));
            squared += squaredError(image, originals.at(i));
            values += 3.0 * image.width() * image.height();
            ++result.images;
        }
    }
    const double mse = squared / values;
    result.psnr = mse > 0.0 ? 10.0 * std::log10(255.0 * 255.0 / mse) : INFINITY;
    return result;
}

} // namespace redifine
