#pragma once

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

namespace redifine {

// A folder of captioned images: kohya's layout (image + same-named .txt) or Hugging Face's imagefolder
// (metadata.jsonl with file_name and text). PNG, JPEG and WebP; images are converted to RGB on white,
// resized so the short side fits and centre-cropped to resolution x resolution with Qt's smooth
// (area-averaging when shrinking, bilinear when enlarging) filter.
struct ImageFolder
{
    QStringList files;      // relative to the folder, sorted
    QStringList captions;
    QList<QImage> images;   // RGB888, resolution x resolution
    QStringList skipped;    // "path: reason" for each unreadable image or missing caption
    QString contentHash;    // SHA-256 over file names, image bytes and captions
    QString summary() const;
};

// Throws InputError naming the folder when it does not exist, holds no usable image, or a caption file
// is not UTF-8; other per-file problems are skipped and listed.
ImageFolder loadImageFolder(const QString &folder, int resolution, int limit = 0);

QImage fitToSquare(const QImage &image, int resolution);

// Every `every`-th image (in file-name order) held out for evaluation, the rest for training; a small folder
// still holds out its last image.
struct HeldOutSplit
{
    QList<QImage> trainImages, heldOutImages;
    QStringList trainCaptions, heldOutCaptions, heldOutFiles;
};
HeldOutSplit splitHeldOut(const ImageFolder &folder, int every);

} // namespace redifine
