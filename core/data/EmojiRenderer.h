#pragma once

#include "core/data/EmojiCatalog.h"

#include <QColor>
#include <QImage>

namespace redifine {

// Where and on what an emoji is drawn. The default is the plain picture: centred, full size, on white.
struct EmojiPlacement
{
    QColor background = Qt::white;
    double scale = 1.0;   // glyph size relative to the plain picture
    double dx = 0.0;      // offset of the glyph's centre, as a share of the image side
    double dy = 0.0;

    // Variant `index` of an emoji: 0 is the plain picture; every other index is the same glyph on a light
    // background, smaller and moved, drawn from a generator seeded by the code points and the index, so a
    // dataset is the same on every machine. Lets D_0 hold several pictures of one subject (issue 17).
    static EmojiPlacement variant(const QString &codepoints, int index);
};

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
    QImage render(const EmojiEntry &entry, const EmojiPlacement &placement = {}) const;

private:
    QString m_family;
    EmojiStyle m_style;
    int m_size;
};

} // namespace redifine
