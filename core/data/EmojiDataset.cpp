#include "core/data/EmojiDataset.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <QBuffer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace redifine {


QString groupSlug(const QString &group)
{
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    return group.toLower().replace(nonWord, QStringLiteral("-")).remove(QRegularExpression(QStringLiteral("^-|-$")));
}

EmojiDatasetReport writeEmojiDataset(const EmojiDatasetOptions &options)
{
    const QList<EmojiEntry> all = readEmojiTest(options.emojiTestPath);
    QSet<QString> known;
    for (const EmojiEntry &e : all)
        known.insert(groupSlug(e.group));
    QSet<QString> wanted;
    for (const QString &g : options.groups) {
        const QString slug = groupSlug(g);
        if (!known.contains(slug))
            throw InputError(QStringLiteral("dataset --group: unknown group \"%1\" (known: %2)")
                                 .arg(g, QStringList(known.begin(), known.end()).join(QStringLiteral(", ")))
                                 .toStdString());
        wanted.insert(slug);
    }
    if (!QDir().mkpath(options.outputDir))
        throw InputError(QStringLiteral("%1: cannot create the output folder").arg(options.outputDir).toStdString());
    const QDir out(options.outputDir);
    const EmojiRenderer renderer(options.style, options.size);

    EmojiDatasetReport report;
    QByteArray metadata;
    for (const EmojiEntry &e : all) {
        if (!wanted.isEmpty() && !wanted.contains(groupSlug(e.group)))
            continue;
        if (e.group == QLatin1String("Component"))   // bare skin-tone swatches and hair parts, not pictures
            continue;
        if (options.limit > 0 && report.written >= options.limit)
            break;
        const QImage image = renderer.render(e);
        if (image.isNull()) {
            ++report.skipped;
            continue;
        }
        const QString base = QStringLiteral("%1_%2").arg(report.written, 4, 10, QLatin1Char('0'))
                                 .arg(e.codepoints.toLower().replace(QLatin1Char(' '), QLatin1Char('-')));
        const QString text = caption(e, options.captions);
        QByteArray png;
        {
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "PNG");
        }
        // kohya's train_data_dir layout: a concept folder per group, 1 repeat.
        const QString folder = QStringLiteral("1_") + groupSlug(e.group);
        if (!QDir().mkpath(out.filePath(folder)))
            throw InputError(QStringLiteral("%1: cannot create the folder").arg(out.filePath(folder)).toStdString());
        const QString stem = folder + QLatin1Char('/') + base;
        writeFileAtomically(out.filePath(stem + QStringLiteral(".png")), png);
        writeFileAtomically(out.filePath(stem + QStringLiteral(".txt")), text.toUtf8());
        metadata += QJsonDocument(QJsonObject{{QStringLiteral("file_name"), stem + QStringLiteral(".png")},
                                              {QStringLiteral("text"), text},
                                              {QStringLiteral("name"), e.name},
                                              {QStringLiteral("subgroup"), e.subgroup},
                                              {QStringLiteral("group"), e.group},
                                              {QStringLiteral("codepoints"), e.codepoints}})
                        .toJson(QJsonDocument::Compact)
                    + '\n';
        ++report.written;
    }
    writeFileAtomically(out.filePath(QStringLiteral("metadata.jsonl")), metadata);
    return report;
}

} // namespace redifine
