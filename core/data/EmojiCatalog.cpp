#include "core/data/EmojiCatalog.h"

#include "core/common/Error.h"

#include <QFile>
#include <QRegularExpression>

namespace redifine {

CaptionStyle parseCaptionStyle(const QString &text, const QString &field)
{
    if (text == QLatin1String("long"))
        return CaptionStyle::Long;
    if (text == QLatin1String("short"))
        return CaptionStyle::Short;
    if (text == QLatin1String("tags"))
        return CaptionStyle::Tags;
    throw InputError(QStringLiteral("%1: unknown caption style \"%2\" (long, short, tags)").arg(field, text).toStdString());
}

QString defaultEmojiTestPath()
{
    return QStringLiteral("/usr/share/unicode/emoji/emoji-test.txt");
}

QList<EmojiEntry> readEmojiTest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        throw InputError(QStringLiteral("%1: cannot open (%2); install Debian's unicode-data").arg(path, file.errorString()).toStdString());
    // "1F44B 1F3FB ; fully-qualified # 👋🏻 E1.0 waving hand: light skin tone"
    static const QRegularExpression line(QStringLiteral(R"(^([0-9A-F ]+?)\s*;\s*fully-qualified\s*#\s*\S+\s+E\d+\.\d+\s+(.+)$)"));
    QList<EmojiEntry> entries;
    QString group, subgroup;
    while (!file.atEnd()) {
        const QString text = QString::fromUtf8(file.readLine()).trimmed();
        if (text.startsWith(QLatin1String("# group:"))) {
            group = text.mid(8).trimmed();
            continue;
        }
        if (text.startsWith(QLatin1String("# subgroup:"))) {
            subgroup = text.mid(11).trimmed();
            continue;
        }
        const QRegularExpressionMatch m = line.match(text);
        if (!m.hasMatch())
            continue;
        EmojiEntry e;
        e.codepoints = m.captured(1).trimmed();
        for (const QString &cp : e.codepoints.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const char32_t value = cp.toUInt(nullptr, 16);
            e.sequence += QString::fromUcs4(&value, 1);
        }
        e.name = m.captured(2).trimmed();
        e.subgroup = subgroup;
        e.group = group;
        entries.append(e);
    }
    if (entries.isEmpty())
        throw InputError(QStringLiteral("%1: no fully-qualified emoji found").arg(path).toStdString());
    return entries;
}

QString caption(const EmojiEntry &e, CaptionStyle style)
{
    switch (style) {
    case CaptionStyle::Short:
        return e.name.toLower();
    case CaptionStyle::Long:
        return QStringLiteral("%1, %2, %3").arg(e.name, e.subgroup, e.group).toLower();
    case CaptionStyle::Tags: {
        static const QRegularExpression word(QStringLiteral(R"([\p{L}\p{N}]+)"));
        static const QStringList stop = {QStringLiteral("and"), QStringLiteral("of"), QStringLiteral("the"),
                                         QStringLiteral("with"), QStringLiteral("a"), QStringLiteral("in")};
        QStringList words;
        for (const QString &part : {e.name, e.subgroup, e.group})
            for (auto it = word.globalMatch(part.toLower()); it.hasNext();) {
                const QString w = it.next().captured(0);
                if (!stop.contains(w) && !words.contains(w))
                    words << w;
            }
        return words.join(QStringLiteral(", "));
    }
    }
    return {};
}

} // namespace redifine
