#pragma once

#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace redifine {

// Element types of safetensors files that the engine reads and writes.
enum class DType { F32, F16, BF16, I64, I32 };

const char *dtypeName(DType dtype);   // "F32", "F16", ...
int dtypeSize(DType dtype);           // bytes per element

// One tensor's entry in a safetensors header; offsets are relative to the start of the data section.
struct TensorEntry
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
    int64_t elementCount() const;
};

// A parsed and validated safetensors header: entries in file order, the __metadata__ strings, and where
// the data section starts in the file.
struct SafetensorsHeader
{
    std::vector<TensorEntry> tensors;
    std::map<std::string, std::string> metadata;
    uint64_t dataOffset = 0;
    const TensorEntry *find(const std::string &name) const;
};

// Parses and validates the header of a safetensors file held in [data, data + size). Never reads outside
// that range. Throws InputError naming `fileName`, the tensor and the problem for: a file shorter than the
// length prefix, a header length past the end, malformed JSON, an unknown dtype, a bad shape, offsets that
// run past the data or overlap, and a byte count that does not match the shape.
SafetensorsHeader parseSafetensorsHeader(const uint8_t *data, size_t size, const QString &fileName);

} // namespace redifine
