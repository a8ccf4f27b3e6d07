#include "core/io/ImageFiles.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <QBuffer>
#include <QImageWriter>

#include <array>

namespace redifine {

namespace {

// CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), over the chunk type and data.
uint32_t crc32(const QByteArray &bytes)
{
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (const char byte : bytes)
        c = table[(c ^ uint8_t(byte)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void appendBigEndian(QByteArray &out, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xFF));
}

uint32_t readBigEndian(const QByteArray &bytes, qsizetype at)
{
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
        value = (value << 8) | uint8_t(bytes[at + i]);
    return value;
}

// An uncompressed text chunk: tEXt when the text is ASCII, else iTXt with UTF-8 text. (Qt's writer
// would simplify() the text, turning newlines into spaces, and compress anything of 40+ characters into
// zTXt, which ComfyUI does not read; tEXt is Latin-1 by the PNG standard, but ComfyUI decodes it as
// UTF-8, so only ASCII goes there.)
QByteArray textChunk(const QByteArray &keyword, const QString &text)
{
    bool ascii = true;
    for (const QChar c : text)
        ascii = ascii && c.unicode() < 0x80;
    QByteArray body = ascii ? QByteArray("tEXt") : QByteArray("iTXt");
    body += keyword;
    body += '\0';
    if (ascii) {
        body += text.toLatin1();
    } else {
        body += QByteArray("\0\0", 2);   // not compressed, compression method 0
        body += '\0';                    // no language tag
        body += '\0';                    // no translated keyword
        body += text.toUtf8();
    }
    QByteArray chunk;
    appendBigEndian(chunk, uint32_t(body.size() - 4));
    chunk += body;
    appendBigEndian(chunk, crc32(body));
    return chunk;
}

// Inserts `chunk` before the first IDAT chunk of an encoded PNG.
QByteArray withChunkBeforeImageData(const QByteArray &png, const QByteArray &chunk, const QString &path)
{
    qsizetype at = 8;   // after the signature
    while (at + 12 <= png.size()) {
        if (png.mid(at + 4, 4) == "IDAT")
            return png.left(at) + chunk + png.mid(at);
        at += 12 + qsizetype(readBigEndian(png, at));
    }
    throw RuntimeError(QStringLiteral("%1: the PNG encoder wrote no image data").arg(path).toStdString());
}

} // namespace

void writePngAtomically(const QString &path, const QImage &image, const QString &parameters)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(image))
        throw RuntimeError(QStringLiteral("%1: PNG encoding failed (%2)").arg(path, writer.errorString()).toStdString());
    if (!parameters.isEmpty())
        png = withChunkBeforeImageData(png, textChunk("parameters", parameters), path);
    writeFileAtomically(path, png);
}

} // namespace redifine
