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
    if (options.variants < 1 || options.variants > kMaxEmojiVariants)
        throw InputError(QStringLiteral("dataset variants: must lie in 1..%1, got %2").arg(kMaxEmojiVariants).arg(options.variants).toStdString());
    if (const QString why = makeFolder(options.outputDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the output folder (%2)").arg(options.outputDir, why).toStdString());
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
        const QImage plain = renderer.render(e);
        if (plain.isNull()) {
            ++report.skipped;
            continue;
        }
        const QString text = caption(e, options.captions);
        // kohya's train_data_dir layout: a concept folder per group, 1 repeat.
        const QString folder = QStringLiteral("1_") + groupSlug(e.group);
        if (const QString why = makeFolder(out.filePath(folder)); !why.isEmpty())
            throw InputError(QStringLiteral("%1: cannot create the folder (%2)").arg(out.filePath(folder), why).toStdString());
        const QString base = QStringLiteral("%1_%2").arg(report.written, 4, 10, QLatin1Char('0'))
                                 .arg(e.codepoints.toLower().replace(QLatin1Char(' '), QLatin1Char('-')));
        for (int v = 0; v < options.variants && !(options.limit > 0 && report.written >= options.limit); ++v) {
            const QImage image = v == 0 ? plain : renderer.render(e, EmojiPlacement::variant(e.codepoints, v));
            if (image.isNull())   // the plain picture was drawn, so a blank variant is a fault, never an empty file
                throw RuntimeError(QStringLiteral("dataset: emoji %1 (%2) came out blank as picture %3")
                                       .arg(e.codepoints, e.name).arg(v).toStdString());
            QByteArray png;
            {
                QBuffer buffer(&png);
                buffer.open(QIODevice::WriteOnly);
                image.save(&buffer, "PNG");
            }
            const QString stem = folder + QLatin1Char('/') + base
                                 + (options.variants > 1 ? QStringLiteral("_v%1").arg(v) : QString());
            writeFileAtomically(out.filePath(stem + QStringLiteral(".png")), png);
            writeFileAtomically(out.filePath(stem + QStringLiteral(".txt")), text.toUtf8());
            QJsonObject row{{QStringLiteral("file_name"), stem + QStringLiteral(".png")},
                            {QStringLiteral("text"), text},
                            {QStringLiteral("name"), e.name},
                            {QStringLiteral("subgroup"), e.subgroup},
                            {QStringLiteral("group"), e.group},
                            {QStringLiteral("codepoints"), e.codepoints}};
            if (options.variants > 1)
                row.insert(QStringLiteral("variant"), v);
            metadata += QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n';
            ++report.written;
        }
    }
    writeFileAtomically(out.filePath(QStringLiteral("metadata.jsonl")), metadata);
    return report;
}

} // namespace redifine
