// libFuzzer target: the safetensors header parser must never crash, hang or read out of bounds, whatever
// the bytes. Anything it cannot accept must come out as InputError.
#include "core/common/Error.h"
#include "core/io/Safetensors.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const redifine::SafetensorsHeader header = redifine::parseSafetensorsHeader(data, size, QStringLiteral("fuzz"));
        // Whatever was accepted must lie inside the buffer.
        for (const redifine::TensorEntry &entry : header.tensors)
            if (header.dataOffset + entry.end > size)
                std::abort();
    } catch (const redifine::InputError &) {
    }
    return 0;
}
