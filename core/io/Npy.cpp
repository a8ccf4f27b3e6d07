#include "core/io/Npy.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QFile>
#include <QRegularExpression>

#include <cmath>
#include <cstring>

namespace redifine {

namespace {

constexpr double kMaxMagnitude = 1e100;

[[noreturn]] void fail(const QString &path, const QString &problem)
{
    throw InputError(QStringLiteral("%1: %2").arg(path, problem).toStdString());
}

template <typename T>
void convert(const char *bytes, int64_t count, std::vector<double> &out)
{
    out.resize(size_t(count));
    for (int64_t i = 0; i < count; ++i) {
        T value;
        std::memcpy(&value, bytes + i * int64_t(sizeof(T)), sizeof(T));
        out[size_t(i)] = double(value);
    }
}

} // namespace

int64_t NpyArray::columns() const
{
    int64_t count = 1;
    for (size_t i = 1; i < shape.size(); ++i)
        count *= shape[i];
    return count;
}

NpyArray readNpy(const QString &path)
{
    QFile file(path);
    if (const QString problem = openInputFile(file); !problem.isEmpty())
        fail(path, QStringLiteral("cannot open (%1)").arg(problem));
    const QByteArray bytes = file.readAll();
    if (bytes.size() < 10 || !bytes.startsWith("\x93NUMPY"))
        fail(path, QStringLiteral("not a .npy file (missing the \\x93NUMPY magic)"));
    const int major = uint8_t(bytes[6]);
    qsizetype headerLength = 0;
    qsizetype headerStart = 0;
    if (major == 1) {
        headerLength = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            fail(path, QStringLiteral("truncated header"));
        headerLength = qsizetype(uint32_t(uint8_t(bytes[8])) | (uint32_t(uint8_t(bytes[9])) << 8)
                                 | (uint32_t(uint8_t(bytes[10])) << 16) | (uint32_t(uint8_t(bytes[11])) << 24));
        headerStart = 12;
    } else {
        fail(path, QStringLiteral("unsupported .npy format version %1").arg(major));
    }
    if (headerLength > bytes.size() - headerStart)
        fail(path, QStringLiteral("header runs past the end of the file"));
    const QString header = QString::fromLatin1(bytes.mid(headerStart, headerLength));

    static const QRegularExpression descrRe(QStringLiteral(R"('descr'\s*:\s*'([^']*)')"));
    static const QRegularExpression orderRe(QStringLiteral(R"('fortran_order'\s*:\s*(True|False))"));
    static const QRegularExpression shapeRe(QStringLiteral(R"('shape'\s*:\s*\(([^)]*)\))"));
    const QString descr = descrRe.match(header).captured(1);
    const QString order = orderRe.match(header).captured(1);
    const QRegularExpressionMatch shapeMatch = shapeRe.match(header);
    if (descr.isEmpty() || order.isEmpty() || !shapeMatch.hasMatch())
        fail(path, QStringLiteral("malformed header \"%1\"").arg(header.trimmed()));
    if (order == QLatin1String("True"))
        fail(path, QStringLiteral("Fortran-ordered arrays are not supported; save with C order"));

    NpyArray array;
    int64_t count = 1;
    for (const QString &part : shapeMatch.captured(1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong d = part.trimmed().toLongLong(&ok);
        if (!ok || d < 0 || (d > 0 && count > (int64_t(1) << 40) / d))
            fail(path, QStringLiteral("bad shape (%1)").arg(shapeMatch.captured(1)));
        array.shape.push_back(d);
        count *= d;
    }
    int elementSize = 0;
    if (descr == QLatin1String("<f4") || descr == QLatin1String("<i4"))
        elementSize = 4;
    else if (descr == QLatin1String("<f8") || descr == QLatin1String("<i8"))
        elementSize = 8;
    else
        fail(path, QStringLiteral("unsupported dtype '%1' (expected little-endian float32/float64/int32/int64)").arg(descr));

    const qsizetype dataStart = headerStart + headerLength;
    if (bytes.size() - dataStart != count * elementSize)
        fail(path, QStringLiteral("shape (%1) needs %2 bytes of data but the file holds %3")
                       .arg(shapeMatch.captured(1))
                       .arg(count * elementSize)
                       .arg(bytes.size() - dataStart));
    const char *data = bytes.constData() + dataStart;
    if (descr == QLatin1String("<f4"))
        convert<float>(data, count, array.values);
    else if (descr == QLatin1String("<f8"))
        convert<double>(data, count, array.values);
    else if (descr == QLatin1String("<i4"))
        convert<int32_t>(data, count, array.values);
    else
        convert<int64_t>(data, count, array.values);
    // Features are finite, and within 1e100 every square and every sum of up to 2^40 squares stays finite
    // in double: FD, KID and t-SNE of such data cannot overflow into NaN.
    for (int64_t i = 0; i < count; ++i)
        if (!(std::abs(array.values[size_t(i)]) <= kMaxMagnitude))
            fail(path, QStringLiteral("value %1 at index %2 is %3").arg(array.values[size_t(i)]).arg(i)
                           .arg(std::isfinite(array.values[size_t(i)]) ? QStringLiteral("beyond +-1e100 (features that large overflow FD and t-SNE)")
                                                                       : QStringLiteral("NaN or infinite")));
    return array;
}

void writeNpy(const QString &path, const NpyArray &array, bool asFloat32)
{
    int64_t count = 1;
    for (int64_t d : array.shape)
        count *= d;
    if (count != int64_t(array.values.size()))
        throw InputError(QStringLiteral("%1: shape does not match the number of values").arg(path).toStdString());
    QString shape;
    for (int64_t d : array.shape)
        shape += QString::number(d) + QLatin1Char(',');
    if (array.shape.size() > 1)
        shape.chop(1);
    QByteArray header = QStringLiteral("{'descr': '%1', 'fortran_order': False, 'shape': (%2), }")
                            .arg(asFloat32 ? QStringLiteral("<f4") : QStringLiteral("<f8"), shape)
                            .toLatin1();
    // Pad so that magic + version + length + header is a multiple of 64, ending in a newline.
    while ((10 + header.size() + 1) % 64 != 0)
        header.append(' ');
    header.append('\n');

    QByteArray out("\x93NUMPY\x01\x00", 8);
    out.append(char(header.size() & 0xff));
    out.append(char((header.size() >> 8) & 0xff));
    out.append(header);
    if (asFloat32) {
        for (double v : array.values) {
            const float f = float(v);
            out.append(reinterpret_cast<const char *>(&f), sizeof f);
        }
    } else {
        out.append(reinterpret_cast<const char *>(array.values.data()), qsizetype(array.values.size() * sizeof(double)));
    }
    writeFileAtomically(path, out);
}

NpyArray npyMatrix(const std::vector<double> &values, int64_t rows, int64_t columns)
{
    NpyArray a;
    a.shape = {rows, columns};
    a.values = values;
    return a;
}

void appendRows(NpyArray &to, const NpyArray &more)
{
    if (to.shape.empty()) {
        to.shape = {0, more.columns()};
    } else if (more.columns() != to.columns()) {
        throw InputError(QStringLiteral("features: %1 columns after %2").arg(more.columns()).arg(to.columns()).toStdString());
    }
    to.shape[0] += more.rows();
    to.values.insert(to.values.end(), more.values.begin(), more.values.end());
}

} // namespace redifine
