#include "core/data/EmojiRenderer.h"

#include "core/common/Error.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QPainter>

namespace redifine {

namespace {

// Joiners and selectors are not glyphs of their own: the font need not map them.
bool isFormatCharacter(char32_t cp)
{
    return cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F);
}

} // namespace

EmojiStyle parseEmojiStyle(const QString &text, const QString &field)
{
    if (text == QLatin1String("noto"))
        return EmojiStyle::Noto;
    if (text == QLatin1String("symbola"))
        return EmojiStyle::Symbola;
    throw InputError(QStringLiteral("%1: unknown style \"%2\" (noto, symbola)").arg(field, text).toStdString());
}

EmojiRenderer::EmojiRenderer(EmojiStyle style, int size)
    : m_family(style == EmojiStyle::Noto ? QStringLiteral("Noto Color Emoji") : QStringLiteral("Symbola"))
    , m_style(style)
    , m_size(size)
{
    if (size < 8 || size > 1024)
        throw InputError("dataset --size: must be between 8 and 1024");
    if (!QFontDatabase::families().contains(m_family))
        throw InputError(QStringLiteral("font \"%1\" is not installed (Debian package %2)")
                             .arg(m_family, style == EmojiStyle::Noto ? QStringLiteral("fonts-noto-color-emoji")
                                                                      : QStringLiteral("fonts-symbola"))
                             .toStdString());
}

QImage EmojiRenderer::render(const EmojiEntry &entry) const
{
    QFont font(m_family);
    font.setStyleStrategy(QFont::NoFontMerging);   // never let another font stand in for a missing glyph
    // Draw large, then shrink with an antialiased filter: colour emoji fonts hold bitmaps near 128 px.
    const int canvas = std::max(128, m_size * 2);
    font.setPixelSize(canvas * 3 / 4);
    const QFontMetrics metrics(font);
    for (const char32_t cp : entry.sequence.toUcs4())
        if (!isFormatCharacter(cp) && !metrics.inFontUcs4(cp))
            return {};

    QImage image(canvas, canvas, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setFont(font);
        painter.setPen(Qt::black);
        painter.drawText(QRect(0, 0, canvas, canvas), Qt::AlignCenter, entry.sequence);
    }
    // A blank canvas means the font had no glyph for the whole sequence.
    int marked = 0;
    for (int y = 0; y < canvas; y += 2)
        for (int x = 0; x < canvas; x += 2)
            marked += image.pixel(x, y) != qRgb(255, 255, 255);
    if (marked < (canvas * canvas / 4) / 100)
        return {};
    return image.scaled(m_size, m_size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB888);
}

} // namespace redifine
