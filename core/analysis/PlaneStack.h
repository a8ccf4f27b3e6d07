#pragma once

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace redifine {

// N images (or latents) of C planes of H x W values in C order, double: the input of every analysis.
struct PlaneStack
{
    int count = 0;
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<double> values;

    size_t planeSize() const { return size_t(height) * size_t(width); }
    const double *plane(int n, int c) const { return values.data() + (size_t(n) * channels + c) * planeSize(); }
    double *plane(int n, int c) { return values.data() + (size_t(n) * channels + c) * planeSize(); }
};

// RGB planes in [0, 1]. Throws InputError for an empty list or images of different sizes (naming `what`).
PlaneStack planesFromImages(const QList<QImage> &images, const QString &what);

// The PNG, JPEG and WebP images of a folder, sorted by name, read in slices so that a thousand large images
// never sit in memory at once. Listing reads only the headers: it throws InputError naming the folder when it
// is missing or holds no image, and naming the file when its header is unreadable or its size differs from
// the first image's. load() throws InputError naming a file that turns out unreadable.
class ImageSet
{
public:
    explicit ImageSet(const QString &folder);
    const QStringList &files() const { return m_files; }   // relative to the folder
    int count() const { return int(m_files.size()); }
    QSize imageSize() const { return m_size; }
    QList<QImage> load(int first, int count) const;        // RGB888

private:
    QString m_folder;
    QStringList m_files;
    QSize m_size;
};

// The "latents" tensor [N, C, H, W] of a safetensors file (a run's iter_K/latents.safetensors).
PlaneStack readLatentPlanes(const QString &path);

} // namespace redifine
