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

namespace redifine {

namespace {

const QStringList kImageSuffixes = {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("webp")};

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

QString ImageFolder::summary() const
{
    return QStringLiteral("%1 images used, %2 skipped").arg(images.size()).arg(skipped.size());
}

ImageFolder loadImageFolder(const QString &folder, int resolution, int limit)
{
    const QDir dir(folder);
    if (!dir.exists())
        throw InputError(QStringLiteral("%1: no such folder").arg(folder).toStdString());
    const QString metadataPath = dir.filePath(QStringLiteral("metadata.jsonl"));
    const bool imagefolder = QFile::exists(metadataPath);
    const QHash<QString, QString> metadata = imagefolder ? readMetadata(metadataPath) : QHash<QString, QString>();

    QStringList candidates;
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        if (kImageSuffixes.contains(QFileInfo(name).suffix().toLower()))
            candidates << name;

    ImageFolder result;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &name : candidates) {
        if (limit > 0 && result.images.size() >= limit)
            break;
        const QString path = dir.filePath(name);
        QString text;
        if (imagefolder) {
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
        result.images << fitToSquare(image, resolution);
    }
    if (result.images.isEmpty())
        throw InputError(QStringLiteral("%1: no usable images (%2 candidates%3)")
                             .arg(folder)
                             .arg(candidates.size())
                             .arg(result.skipped.isEmpty() ? QString() : QStringLiteral("; first problem: ") + result.skipped.first())
                             .toStdString());
    result.contentHash = QString::fromLatin1(hash.result().toHex());
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
            s.trainImages << folder.images[i];
            s.trainCaptions << folder.captions[i];
        }
    }
    if (s.heldOutImages.isEmpty() && s.trainImages.size() > 1) {
        s.heldOutImages << s.trainImages.takeLast();
        s.heldOutCaptions << s.trainCaptions.takeLast();
        s.heldOutFiles << folder.files.at(folder.files.size() - 1);
    }
    return s;
}

} // namespace redifine
