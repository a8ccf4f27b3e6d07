#pragma once
// Core-internal: safetensors files to and from LibTorch tensors.

#include "core/io/Safetensors.h"

#include <ATen/ATen.h>

#include <QFile>

#include <memory>
#include <utility>

namespace redifine {

at::ScalarType toScalarType(DType dtype);
DType toDType(at::ScalarType type);   // throws InputError for types safetensors files here do not hold

// A memory-mapped safetensors file; the header is validated on open, tensor bytes are copied out on demand.
class SafetensorsReader
{
public:
    explicit SafetensorsReader(const QString &path);   // throws InputError naming the file
    const SafetensorsHeader &header() const { return m_header; }
    const QString &path() const { return m_path; }
    bool contains(const std::string &name) const { return m_header.find(name) != nullptr; }
    // The tensor as stored (CPU, contiguous, owning its memory). Throws InputError if absent.
    at::Tensor tensor(const std::string &name) const;
    std::vector<std::pair<std::string, at::Tensor>> all() const;

private:
    QString m_path;
    std::unique_ptr<QFile> m_file;
    const uint8_t *m_data = nullptr;
    qint64 m_size = 0;
    SafetensorsHeader m_header;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

// The bytes of a safetensors file before its data: the little-endian header length and the JSON header
// (tensors in the given order, offsets from their element counts and types), padded with spaces to 8 bytes.
QByteArray safetensorsHeader(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata);

// Writes tensors (any device; stored in their dtype) and metadata atomically: a temporary file renamed
// into place, so a crash or a full disk never leaves a half-written file under `path`.
// Throws RuntimeError naming the file when writing fails.
void writeSafetensors(const QString &path, const NamedTensors &tensors,
                      const std::map<std::string, std::string> &metadata = {});

} // namespace redifine
