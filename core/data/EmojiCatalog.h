#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace redifine {

// One fully-qualified emoji of Unicode's emoji-test.txt.
struct EmojiEntry
{
    QString sequence;     // the emoji itself (UTF-16)
    QString codepoints;   // "1F44B 1F3FB"
    QString name;         // "waving hand: light skin tone"
    QString subgroup;     // "hand-fingers-open"
    QString group;        // "People & Body"
};

enum class CaptionStyle { Long, Short, Tags };
CaptionStyle parseCaptionStyle(const QString &text, const QString &field);   // throws InputError

// The fully-qualified emoji of an emoji-test.txt file, in file order. Throws InputError naming the file
// when it cannot be read or holds no emoji.
QList<EmojiEntry> readEmojiTest(const QString &path);
QString defaultEmojiTestPath();   // Debian's unicode-data: /usr/share/unicode/emoji/emoji-test.txt

// Captions mirror the paper's prompt factor: long = "name, subgroup, group" (lowercase), short = the name,
// tags = the distinct words of all three, comma-separated, as a tagger would list them.
QString caption(const EmojiEntry &entry, CaptionStyle style);

} // namespace redifine
