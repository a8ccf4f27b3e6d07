#include "core/runtime/Allocator.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace redifine {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    const char *tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables && std::strstr(tunables, "glibc.malloc.")) || std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_"))
        return;
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    // Setting the mmap threshold fixes it; without a trim threshold the heap would still shrink after every step.
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

} // namespace redifine
