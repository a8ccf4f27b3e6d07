#include "core/io/TensorIo_p.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cerrno>
#include <cstring>

namespace redifine {

at::ScalarType toScalarType(DType dtype)
{
    switch (dtype) {
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    case DType::I64: return at::kLong;
    case DType::I32: return at::kInt;
    }
    return at::kFloat;
}

DType toDType(at::ScalarType type)
{
    switch (type) {
    case at::kFloat: return DType::F32;
    case at::kHalf: return DType::F16;
    case at::kBFloat16: return DType::BF16;
    case at::kLong: return DType::I64;
    case at::kInt: return DType::I32;
    default:
        throw InputError(std::string("safetensors: unsupported tensor type ") + c10::toString(type));
    }
}

namespace {

// PyTorch's .ckpt/.pt/.bin files are a zip archive of pickles (or, before torch 1.6, a bare pickle). They are
// never opened, since unpickling runs code from the file; say so instead of misreading the bytes as a header.
void refusePickle(const QString &path, const uchar *data, qint64 size)
{
    // Only when the first 8 bytes cannot be a safetensors header length (one that fits in the file): a real
    // safetensors file whose header happens to be 0x0280 bytes long starts with the same two bytes as a pickle.
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0 && size >= 8; --i)
        headerLength = (headerLength << 8) | data[i];
    if (size >= 8 && headerLength <= uint64_t(size - 8))
        return;
    const bool zip = size >= 4 && std::memcmp(data, "PK\x03\x04", 4) == 0;
    const bool pickle = size >= 2 && data[0] == 0x80 && data[1] >= 2 && data[1] <= 5;
    if (zip || pickle)
        throw InputError(QStringLiteral("%1: a PyTorch pickle file; these are never opened, since unpickling runs code from the file. "
                                        "Convert it to .safetensors (for example with diffusers' or kohya's conversion scripts) and "
                                        "point at that instead")
                             .arg(path)
                             .toStdString());
}

} // namespace

SafetensorsReader::SafetensorsReader(const QString &path)
    : m_path(path)
    , m_file(std::make_unique<QFile>(path))
{
    if (const QString problem = openInputFile(*m_file); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    m_size = m_file->size();
    if (m_size > 0) {
        m_data = m_file->map(0, m_size);
        if (!m_data)
            throw InputError(QStringLiteral("%1: cannot map (%2)").arg(path, m_file->errorString()).toStdString());
    }
    refusePickle(path, m_data, m_size);
    static const uint8_t empty[1] = {0};
    m_header = parseSafetensorsHeader(m_data ? m_data : empty, size_t(m_size), path);
}

at::Tensor SafetensorsReader::tensor(const std::string &name) const
{
    const TensorEntry *entry = m_header.find(name);
    if (!entry)
        throw InputError(QStringLiteral("%1: no tensor \"%2\"").arg(m_path, QString::fromStdString(name)).toStdString());
    at::Tensor out = at::empty(entry->shape, at::TensorOptions().dtype(toScalarType(entry->dtype)));
    // Copy rather than wrap: the mapped bytes need not be aligned for the element type.
    if (entry->end > entry->begin)
        std::memcpy(out.data_ptr(), m_data + m_header.dataOffset + entry->begin, entry->end - entry->begin);
    // Weights and references are finite: a NaN or infinity read here would only show up later as black images
    // or a passing comparison with NaN. Cheap next to reading the bytes.
    if (out.is_floating_point() && out.numel() > 0 && !at::isfinite(out).all().item<bool>())
        throw InputError(QStringLiteral("%1: tensor \"%2\" holds NaN or infinite values").arg(m_path, QString::fromStdString(name)).toStdString());
    return out;
}

NamedTensors SafetensorsReader::all() const
{
    NamedTensors result;
    for (const TensorEntry &entry : m_header.tensors)
        result.emplace_back(entry.name, tensor(entry.name));
    return result;
}

QByteArray safetensorsHeader(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata)
{
    QJsonObject header;
    if (!metadata.empty()) {
        QJsonObject meta;
        for (const auto &[key, value] : metadata)
            meta.insert(QString::fromStdString(key), QString::fromStdString(value));
        header.insert(QStringLiteral("__metadata__"), meta);
    }
    uint64_t offset = 0;
    for (const auto &[name, tensor] : tensors) {
        const uint64_t bytes = uint64_t(tensor.numel()) * tensor.element_size();
        QJsonArray shape;
        for (int64_t d : tensor.sizes())
            shape.append(qint64(d));
        header.insert(QString::fromStdString(name),
                      QJsonObject{{QStringLiteral("dtype"), QLatin1String(dtypeName(toDType(tensor.scalar_type())))},
                                  {QStringLiteral("shape"), shape},
                                  {QStringLiteral("data_offsets"), QJsonArray{qint64(offset), qint64(offset + bytes)}}});
        offset += bytes;
    }
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while ((json.size() + 8) % 8 != 0)   // pad with spaces so the data section is 8-byte aligned
        json.append(' ');
    QByteArray prefix(8, '\0');
    for (int i = 0; i < 8; ++i)
        prefix[i] = char((uint64_t(json.size()) >> (8 * i)) & 0xff);
    return prefix + json;
}

void writeSafetensors(const QString &path, const NamedTensors &tensors, const std::map<std::string, std::string> &metadata)
{
    std::vector<at::Tensor> contiguous;
    for (const auto &entry : tensors) {
        contiguous.push_back(entry.second.detach().to(at::kCPU).contiguous());
        // Every reader here refuses NaN and infinite weights, so such a file is never written: it would be a
        // result that cannot be used. A value beyond fp16's range becomes infinite when saved in half precision.
        const at::Tensor &t = contiguous.back();
        if (t.is_floating_point() && !at::isfinite(t).all().item<bool>())
            throw RuntimeError(QStringLiteral("%1: not written: tensor \"%2\" holds NaN or infinite values%3")
                                   .arg(path, QString::fromStdString(entry.first),
                                        t.scalar_type() == at::kHalf ? QStringLiteral(" (or values beyond half precision's range, 65504)") : QString())
                                   .toStdString());
    }
    const QByteArray header = safetensorsHeader(tensors, metadata);

    QSaveFile file(path);
    const auto check = [&](bool ok) {
        const int saved = errno;
        if (!ok)
            throw RuntimeError(QStringLiteral("%1: write failed (%2)").arg(path, fileErrorText(file, saved)).toStdString());
    };
    check(file.open(QIODevice::WriteOnly));
    check(file.write(header) == header.size());
    for (const at::Tensor &t : contiguous) {
        const qint64 bytes = qint64(t.numel()) * t.element_size();
        check(file.write(static_cast<const char *>(t.data_ptr()), bytes) == bytes);
    }
    check(file.commit());
}

} // namespace redifine
