#pragma once

#include "core/data/EmojiCatalog.h"

#include <QImage>

namespace redifine {

enum class EmojiStyle { Noto, Symbola };
EmojiStyle parseEmojiStyle(const QString &text, const QString &field);   // throws InputError

// Draws emoji with Qt from an installed font, centred on white. Needs a QGuiApplication.
class EmojiRenderer
{
public:
    // Throws InputError when the style's font is not installed (naming the Debian package).
    EmojiRenderer(EmojiStyle style, int size);
    // The emoji at size x size, or a null image when the font cannot draw it (a missing code point, or a
    // blank result); such glyphs are never returned as blank images.
    QImage render(const EmojiEntry &entry) const;

private:
    QString m_family;
    EmojiStyle m_style;
    int m_size;
};

} // namespace redifine
