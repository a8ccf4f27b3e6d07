#include "core/io/Safetensors.h"

#include "core/common/Error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace redifine {

namespace {

// The format's own limit on the header (100 MB); it also bounds what a hostile length prefix makes us parse.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

[[noreturn]] void fail(const QString &fileName, const QString &problem)
{
    throw InputError(QStringLiteral("%1: %2").arg(fileName, problem).toStdString());
}

bool parseDType(const QString &text, DType &dtype)
{
    static const std::pair<const char *, DType> names[] = {
        {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16}, {"I64", DType::I64}, {"I32", DType::I32}};
    for (const auto &[name, value] : names) {
        if (text == QLatin1String(name)) {
            dtype = value;
            return true;
        }
    }
    return false;
}

// JSON numbers arrive as doubles: accept only non-negative integers that doubles represent exactly.
bool toIndex(const QJsonValue &value, uint64_t &out)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    if (!(d >= 0.0) || d > 9007199254740992.0 || std::floor(d) != d)
        return false;
    out = static_cast<uint64_t>(d);
    return true;
}

} // namespace

const char *dtypeName(DType dtype)
{
    switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I64: return "I64";
    case DType::I32: return "I32";
    }
    return "?";
}

int dtypeSize(DType dtype)
{
    switch (dtype) {
    case DType::F32: return 4;
    case DType::F16: return 2;
    case DType::BF16: return 2;
    case DType::I64: return 8;
    case DType::I32: return 4;
    }
    return 0;
}

int64_t TensorEntry::elementCount() const
{
    int64_t count = 1;
    for (int64_t d : shape)
        count *= d;
    return count;
}

const TensorEntry *SafetensorsHeader::find(const std::string &name) const
{
    for (const TensorEntry &entry : tensors)
        if (entry.name == name)
            return &entry;
    return nullptr;
}

SafetensorsHeader parseSafetensorsHeader(const uint8_t *data, size_t size, const QString &fileName)
{
    if (size < 8)
        fail(fileName, QStringLiteral("truncated: %1 bytes, shorter than the 8-byte header length").arg(size));
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | data[i];
    if (headerLength > kMaxHeaderBytes)
        fail(fileName, QStringLiteral("header length %1 exceeds the format's limit of 100 MB").arg(headerLength));
    if (headerLength > size - 8)
        fail(fileName, QStringLiteral("header length %1 runs past the end of the file (%2 bytes)").arg(headerLength).arg(size));

    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data + 8), qsizetype(headerLength)), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        fail(fileName, QStringLiteral("malformed JSON header at byte %1: %2")
                           .arg(parseError.offset)
                           .arg(parseError.errorString()));
    if (!document.isObject())
        fail(fileName, QStringLiteral("the header is not a JSON object"));

    SafetensorsHeader header;
    header.dataOffset = 8 + headerLength;
    const uint64_t dataSize = size - header.dataOffset;
    const QJsonObject root = document.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString name = it.key();
        if (name == QLatin1String("__metadata__")) {
            if (!it.value().isObject())
                fail(fileName, QStringLiteral("__metadata__ is not an object"));
            const QJsonObject metadata = it.value().toObject();
            for (auto m = metadata.begin(); m != metadata.end(); ++m) {
                if (!m.value().isString())
                    fail(fileName, QStringLiteral("__metadata__.%1 is not a string").arg(m.key()));
                header.metadata[m.key().toStdString()] = m.value().toString().toStdString();
            }
            continue;
        }
        const auto tensorFail = [&](const QString &problem) { fail(fileName, QStringLiteral("tensor \"%1\": %2").arg(name, problem)); };
        if (!it.value().isObject())
            tensorFail(QStringLiteral("entry is not an object"));
        const QJsonObject entryJson = it.value().toObject();
        TensorEntry entry;
        entry.name = name.toStdString();
        if (!parseDType(entryJson.value(QLatin1String("dtype")).toString(), entry.dtype))
            tensorFail(QStringLiteral("unknown or missing dtype \"%1\" (supported: F32, F16, BF16, I64, I32)")
                           .arg(entryJson.value(QLatin1String("dtype")).toString()));
        const QJsonValue shapeValue = entryJson.value(QLatin1String("shape"));
        if (!shapeValue.isArray())
            tensorFail(QStringLiteral("missing shape"));
        // Element count with overflow checks: a hostile shape must not wrap around to a small byte count.
        uint64_t elements = 1;
        for (const QJsonValue &dim : shapeValue.toArray()) {
            uint64_t d = 0;
            if (!toIndex(dim, d))
                tensorFail(QStringLiteral("shape has a dimension that is not a non-negative integer"));
            if (d != 0 && elements > std::numeric_limits<uint64_t>::max() / 16 / d)
                tensorFail(QStringLiteral("shape is too large"));
            elements *= d;
            entry.shape.push_back(int64_t(d));
        }
        const QJsonArray offsets = entryJson.value(QLatin1String("data_offsets")).toArray();
        if (offsets.size() != 2 || !toIndex(offsets.at(0), entry.begin) || !toIndex(offsets.at(1), entry.end))
            tensorFail(QStringLiteral("data_offsets must be two non-negative integers"));
        if (entry.begin > entry.end)
            tensorFail(QStringLiteral("data_offsets [%1, %2] are reversed").arg(entry.begin).arg(entry.end));
        if (entry.end > dataSize)
            tensorFail(QStringLiteral("data_offsets end %1 runs past the data section (%2 bytes): file truncated?")
                           .arg(entry.end)
                           .arg(dataSize));
        const uint64_t expectedBytes = elements * uint64_t(dtypeSize(entry.dtype));
        if (entry.end - entry.begin != expectedBytes)
            tensorFail(QStringLiteral("shape needs %1 bytes of %2 but data_offsets span %3")
                           .arg(expectedBytes)
                           .arg(QLatin1String(dtypeName(entry.dtype)))
                           .arg(entry.end - entry.begin));
        header.tensors.push_back(std::move(entry));
    }

    // Overlapping tensors would alias each other's bytes.
    std::vector<const TensorEntry *> byOffset;
    for (const TensorEntry &entry : header.tensors)
        byOffset.push_back(&entry);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const TensorEntry *a, const TensorEntry *b) { return a->begin < b->begin; });
    // Each non-empty tensor is checked against the furthest end so far, so an empty tensor between two
    // overlapping ones cannot hide them from each other.
    const TensorEntry *furthest = nullptr;
    for (const TensorEntry *entry : byOffset) {
        if (entry->begin == entry->end)
            continue;
        if (furthest && entry->begin < furthest->end)
            fail(fileName, QStringLiteral("tensors \"%1\" and \"%2\" overlap")
                               .arg(QString::fromStdString(furthest->name), QString::fromStdString(entry->name)));
        if (!furthest || entry->end > furthest->end)
            furthest = entry;
    }
    // Keep the file's order (by offset) so a reader sees tensors in the order they were written.
    std::stable_sort(header.tensors.begin(), header.tensors.end(),
                     [](const TensorEntry &a, const TensorEntry &b) { return a.begin < b.begin; });
    return header;
}

} // namespace redifine
