#include "core/data/ImageFolder.h"

#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QStringDecoder>

#include <algorithm>
#include <optional>

namespace redifine {

namespace {

QString readUtf8(const QString &path);

const QStringList kImageSuffixes = {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("webp"), QStringLiteral("bmp")};

QStringList imagesIn(const QDir &dir)
{
    return filesWithSuffixes(dir, kImageSuffixes);
}

// An image to read, with what its layout says about it.
struct Candidate
{
    QString name;          // relative to the folder
    int repeats = 1;
    QString classTokens;   // kohya: the caption when the image has no caption file
};

// kohya's read_caption: the first caption file found, its first line stripped; a zero-byte file is refused.
std::optional<QString> readKohyaCaption(const QString &imagePath)
{
    const QString base = QFileInfo(imagePath).path() + QLatin1Char('/') + QFileInfo(imagePath).completeBaseName();
    for (const QString &suffix : {QStringLiteral(".txt"), QStringLiteral(".caption")}) {
        const QString path = base + suffix;
        if (!QFileInfo(path).isFile())
            continue;
        if (QFileInfo(path).size() == 0)
            throw InputError(QStringLiteral("%1: empty caption file (kohya refuses it too)").arg(path).toStdString());
        return readUtf8(path).section(QLatin1Char('\n'), 0, 0).trimmed();
    }
    return std::nullopt;
}

QString readUtf8(const QString &path)
{
    QFile file(path);
    if (const QString problem = openInputFile(file); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    const QByteArray bytes = file.readAll();
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        throw InputError(QStringLiteral("%1: not UTF-8 text").arg(path).toStdString());
    return text.trimmed();
}

// metadata.jsonl: file_name -> text
QHash<QString, QString> readMetadata(const QString &path)
{
    QHash<QString, QString> captions;
    const QString text = readUtf8(path);
    int lineNumber = 0;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (!o.value(QStringLiteral("file_name")).isString() || !o.value(QStringLiteral("text")).isString())
            throw InputError(QStringLiteral("%1:%2: expected an object with \"file_name\" and \"text\"").arg(path).arg(lineNumber).toStdString());
        captions.insert(o.value(QStringLiteral("file_name")).toString(), o.value(QStringLiteral("text")).toString());
    }
    return captions;
}

} // namespace

QImage fitToSquare(const QImage &source, int resolution)
{
    // Transparent pixels go on white, as the emoji are drawn.
    QImage rgb(source.size(), QImage::Format_RGB32);
    rgb.fill(Qt::white);
    {
        QPainter painter(&rgb);
        painter.drawImage(0, 0, source);
    }
    const QImage scaled = rgb.scaled(resolution, resolution, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    const int x = (scaled.width() - resolution) / 2;
    const int y = (scaled.height() - resolution) / 2;
    return scaled.copy(x, y, resolution, resolution).convertToFormat(QImage::Format_RGB888);
}

int kohyaRepeats(const QString &folderName, QString *classTokens)
{
    // Python's int() on the part before the first '_', as kohya's extract_dreambooth_params does.
    bool ok = false;
    const int repeats = folderName.section(QLatin1Char('_'), 0, 0).trimmed().toInt(&ok);
    if (classTokens)
        *classTokens = ok ? folderName.section(QLatin1Char('_'), 1) : QString();
    return ok ? repeats : 0;
}

int ImageFolder::repeatedCount() const
{
    int total = 0;
    for (const int n : repeats)
        total += n;
    return total;
}

QString ImageFolder::summary() const
{
    QString text = QStringLiteral("%1 images used, %2 skipped").arg(images.size()).arg(skipped.size());
    if (repeatedCount() != images.size())
        text += QStringLiteral(" (%1 an epoch with kohya's repeats)").arg(repeatedCount());
    return text;
}

ImageFolder loadImageFolder(const QString &folder, int resolution, int limit)
{
    const QDir dir(folder);
    if (!dir.exists())
        throw InputError(QStringLiteral("%1: no such folder").arg(folder).toStdString());

    ImageFolder result;
    QList<Candidate> candidates;
    QStringList unprefixed;   // subfolders kohya would ignore, named in the error when nothing else is there
    const QStringList subfolders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    bool kohya = false;
    for (const QString &sub : subfolders)
        kohya = kohya || kohyaRepeats(sub) >= 1;
    const QString metadataPath = dir.filePath(QStringLiteral("metadata.jsonl"));
    const bool imagefolder = !kohya && QFile::exists(metadataPath);
    result.layout = kohya ? QStringLiteral("kohya") : imagefolder ? QStringLiteral("imagefolder") : QStringLiteral("captioned");
    if (kohya) {
        for (const QString &sub : subfolders) {
            QString tokens;
            const int repeats = kohyaRepeats(sub, &tokens);
            if (repeats < 1) {
                result.skipped << QStringLiteral("%1: ignored, as kohya ignores a folder without a repeat count N >= 1 (N_concept)").arg(dir.filePath(sub));
                continue;
            }
            for (const QString &name : imagesIn(QDir(dir.filePath(sub))))
                candidates.append({sub + QLatin1Char('/') + name, repeats, tokens});
        }
        // By file name across the folders (then by folder), so a numbering over the whole set, as `dataset
        // emoji` writes it, keeps its order: the held-out split and dataset.limit follow it.
        std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
            return a.name.section(QLatin1Char('/'), 1) < b.name.section(QLatin1Char('/'), 1);
        });
        for (const QString &name : imagesIn(dir))
            result.skipped << QStringLiteral("%1: ignored, as kohya reads only the N_concept subfolders").arg(dir.filePath(name));
    } else {
        for (const QString &name : imagesIn(dir))
            candidates.append({name, 1, {}});
        for (const QString &sub : subfolders)
            if (!imagesIn(QDir(dir.filePath(sub))).isEmpty())
                unprefixed << sub;
    }
    const QHash<QString, QString> metadata = imagefolder ? readMetadata(metadataPath) : QHash<QString, QString>();

    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Candidate &candidate : candidates) {
        if (limit > 0 && result.images.size() >= limit)
            break;
        const QString &name = candidate.name;
        const QString path = dir.filePath(name);
        QString text;
        if (kohya) {
            text = readKohyaCaption(path).value_or(candidate.classTokens);
        } else if (imagefolder) {
            if (!metadata.contains(name)) {
                result.skipped << QStringLiteral("%1: no entry in metadata.jsonl").arg(path);
                continue;
            }
            text = metadata.value(name);
        } else {
            const QString captionPath = dir.filePath(QFileInfo(name).completeBaseName() + QStringLiteral(".txt"));
            if (!QFile::exists(captionPath)) {
                result.skipped << QStringLiteral("%1: no caption file %2").arg(path, captionPath);
                continue;
            }
            text = readUtf8(captionPath);
        }
        QFile file(path);
        if (const QString problem = openInputFile(file); !problem.isEmpty()) {
            result.skipped << QStringLiteral("%1: cannot open (%2)").arg(path, problem);
            continue;
        }
        const QByteArray bytes = file.readAll();
        QImage image;
        if (!image.loadFromData(bytes) || image.isNull()) {
            result.skipped << QStringLiteral("%1: not a readable image").arg(path);
            continue;
        }
        hash.addData(name.toUtf8());
        hash.addData(QByteArray(1, '\0'));
        hash.addData(bytes);
        hash.addData(text.toUtf8());
        hash.addData(QByteArray(1, '\0'));
        result.files << name;
        result.captions << text;
        result.repeats << candidate.repeats;
        result.images << fitToSquare(image, resolution);
    }
    if (result.images.isEmpty()) {
        QString why = result.skipped.isEmpty() ? QString() : QStringLiteral("; first problem: ") + result.skipped.first();
        if (candidates.isEmpty() && !unprefixed.isEmpty())
            why = QStringLiteral("; its subfolders %1 need kohya's repeat prefix, e.g. 1_%2").arg(unprefixed.join(QStringLiteral(", ")), unprefixed.first());
        throw InputError(QStringLiteral("%1: no usable images (%2 candidates%3)").arg(folder).arg(candidates.size()).arg(why).toStdString());
    }
    result.contentHash = QString::fromLatin1(hash.result().toHex());
    return result;
}

ImageFolder loadEveryImageOf(const QString &folder, int resolution, const QString &what)
{
    ImageFolder result;
    try {
        result = loadImageFolder(folder, resolution);
    } catch (const InputError &e) {
        throw InputError(QStringLiteral("%1: %2").arg(what, QString::fromStdString(e.what())).toStdString());
    }
    if (!result.skipped.isEmpty())
        throw InputError(QStringLiteral("%1: %2: %3 file(s) cannot be used, first: %4; fix or remove them (a training here reads "
                                        "every file of the folder)")
                             .arg(what, folder)
                             .arg(result.skipped.size())
                             .arg(result.skipped.first())
                             .toStdString());
    return result;
}

HeldOutSplit splitHeldOut(const ImageFolder &folder, int every)
{
    HeldOutSplit s;
    for (qsizetype i = 0; i < folder.images.size(); ++i) {
        if (every > 0 && i % every == every - 1) {
            s.heldOutImages << folder.images[i];
            s.heldOutCaptions << folder.captions[i];
            s.heldOutFiles << folder.files[i];
        } else {
            const qsizetype last = folder.images.size() - 1;
            // A small folder holds out its last image anyway (below): it is not repeated into training.
            const bool heldOutAnyway = i == last && s.heldOutImages.isEmpty() && folder.images.size() > 1;
            for (int r = 0; r < (heldOutAnyway ? 1 : folder.repeats.value(int(i), 1)); ++r) {
                s.trainImages << folder.images[i];
                s.trainCaptions << folder.captions[i];
            }
        }
    }
    if (s.heldOutImages.isEmpty() && folder.images.size() > 1) {
        s.heldOutImages << s.trainImages.takeLast();
        s.heldOutCaptions << s.trainCaptions.takeLast();
        s.heldOutFiles << folder.files.at(folder.files.size() - 1);
    }
    return s;
}

} // namespace redifine
