#pragma once

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

namespace redifine {

// A folder of captioned images, in one of three layouts (the first that applies):
//  - kohya's train_data_dir: subfolders named N_concept, N the repeats (each image counts N times per
//    epoch), captions in a same-named .txt (or kohya's default .caption) beside each image, first line;
//    an image without one is captioned with its folder's concept, as kohya does. As in kohya, subfolders
//    without a leading repeat count (or with N < 1) and images outside the subfolders are ignored (listed
//    in `skipped`), and a zero-byte caption file is an error.
//  - Hugging Face's imagefolder: metadata.jsonl with file_name and text.
//  - a flat folder of images, each with a same-named .txt caption (what every iteration's images/ holds).
// PNG, JPEG, WebP and BMP; images are converted to RGB on white, resized so the short side fits and
// centre-cropped to resolution x resolution with Qt's smooth (area-averaging when shrinking, bilinear when
// enlarging) filter.
struct ImageFolder
{
    QString layout;         // "kohya", "imagefolder" or "captioned"
    QStringList files;      // relative to the folder ("2_cat/a.png" in kohya's layout), sorted by file name
    QStringList captions;
    QList<QImage> images;   // RGB888, resolution x resolution
    QList<int> repeats;     // per image: N of its N_concept folder, 1 in the other layouts
    QStringList skipped;    // "path: reason" for each unreadable image, missing caption or ignored folder
    QString contentHash;    // SHA-256 over file names, image bytes and captions
    int repeatedCount() const;   // the images of one epoch, repeats counted (kohya's "images with repeats")
    QString summary() const;
};

// Throws InputError naming the folder when it does not exist, holds no usable image, or a caption file
// is not UTF-8; other per-file problems are skipped and listed.
ImageFolder loadImageFolder(const QString &folder, int resolution, int limit = 0);
// loadImageFolder for a training that must read every file of its folder (pretraining, the vocabulary of a
// held-out group): a skipped file is an InputError naming `what`, the count and the first, never a quiet loss.
ImageFolder loadEveryImageOf(const QString &folder, int resolution, const QString &what);

// Kohya's reading of a train_data_dir subfolder name: "3_dog" -> 3 repeats, class tokens "dog"; "10" -> 10,
// ""; a name whose part before the first '_' is not an integer -> 0 (kohya ignores the folder).
int kohyaRepeats(const QString &folderName, QString *classTokens = nullptr);

QImage fitToSquare(const QImage &image, int resolution);

// Every `every`-th image (in file-name order) held out for evaluation, the rest for training, each training
// image as many times as its repeats; a small folder still holds out its last image.
struct HeldOutSplit
{
    QList<QImage> trainImages, heldOutImages;
    QStringList trainCaptions, heldOutCaptions, heldOutFiles;
};
HeldOutSplit splitHeldOut(const ImageFolder &folder, int every);

} // namespace redifine
