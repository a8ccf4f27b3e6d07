#include "core/data/EmojiRenderer.h"

#include "core/common/Error.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QGlyphRun>
#include <QPainter>
#include <QRawFont>

#include <array>
#include <cstdint>
#include <random>

namespace redifine {

namespace {

// Joiners and selectors are not glyphs of their own: the font need not map them.
bool isFormatCharacter(char32_t cp)
{
    return cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F);
}

// 64-bit FNV-1a: a seed that does not depend on the Qt version's string hash.
std::uint64_t fnv1a(const QByteArray &bytes)
{
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : bytes)
        h = (h ^ std::uint8_t(c)) * 1099511628211ull;
    return h;
}

} // namespace

EmojiPlacement EmojiPlacement::variant(const QString &codepoints, int index)
{
    if (index == 0)
        return {};
    // Light backgrounds keep every glyph readable; white is left to the plain picture.
    static constexpr std::array<QRgb, 8> palette{0xF4CCCC, 0xFCE5CD, 0xFFF2CC, 0xD9EAD3,
                                                 0xD0E0E3, 0xCFE2F3, 0xD9D2E9, 0xEAD1DC};
    std::mt19937_64 random(fnv1a(codepoints.toUtf8()) ^ (std::uint64_t(index) * 0x9E3779B97F4A7C15ull));
    // mt19937_64's output sequence is fixed by the standard; the distributions are not, so map by hand.
    const auto uniform = [&random] { return double(random() >> 11) * 0x1.0p-53; };
    EmojiPlacement p;
    p.background = QColor(palette[random() % palette.size()]);
    p.scale = 0.6 + 0.3 * uniform();
    // Keep the glyph's box (three quarters of the side at full size) inside the picture.
    const double room = std::max(0.0, (1.0 - 0.75 * p.scale) / 2.0 - 0.02);
    p.dx = (2.0 * uniform() - 1.0) * room;
    p.dy = (2.0 * uniform() - 1.0) * room;
    return p;
}

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

QImage EmojiRenderer::render(const EmojiEntry &entry, const EmojiPlacement &placement) const
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
    image.fill(placement.background);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        const double half = canvas / 2.0;
        painter.translate(half + placement.dx * canvas, half + placement.dy * canvas);
        painter.scale(placement.scale, placement.scale);
        painter.translate(-half, -half);
        painter.setFont(font);
        painter.setPen(Qt::black);
        if (m_style == EmojiStyle::Symbola) {
            // Qt's text layout sends emoji-presentation characters to the colour emoji font whatever family is
            // asked for, so the monochrome style places Symbola's own glyphs directly. Symbola has no ligatures
            // for ZWJ sequences ("black cat" would be a cat beside a black square): those are skipped.
            if (entry.sequence.contains(QChar(0x200D)))
                return {};
            const QRawFont raw = QRawFont::fromFont(font);
            QString text;
            for (const char32_t cp : entry.sequence.toUcs4())
                if (!isFormatCharacter(cp))
                    text += QString::fromUcs4(&cp, 1);
            const QList<quint32> glyphs = raw.glyphIndexesForString(text);
            if (glyphs.isEmpty() || glyphs.contains(0u))
                return {};
            const QList<QPointF> advances = raw.advancesForGlyphIndexes(glyphs);
            QList<QPointF> positions;
            double x = 0.0;
            for (const QPointF &advance : advances) {
                positions << QPointF(x, 0.0);
                x += advance.x();
            }
            QGlyphRun run;
            run.setRawFont(raw);
            run.setGlyphIndexes(glyphs);
            run.setPositions(positions);
            painter.drawGlyphRun(QPointF((canvas - x) / 2.0, (canvas + raw.ascent() - raw.descent()) / 2.0), run);
        } else {
            painter.drawText(QRect(0, 0, canvas, canvas), Qt::AlignCenter, entry.sequence);
        }
    }
    // A blank canvas means the font had no glyph for the whole sequence.
    const QRgb background = placement.background.rgb();
    int marked = 0;
    for (int y = 0; y < canvas; y += 2)
        for (int x = 0; x < canvas; x += 2)
            marked += image.pixel(x, y) != background;
    if (marked < placement.scale * placement.scale * (canvas * canvas / 4) / 100)
        return {};
    return image.scaled(m_size, m_size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_RGB888);
}

} // namespace redifine
