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
    if ((tunables && std::strstr(tunables, "glibc.malloc.")) || std::getenv("MALLOC_MMAP_THRESHOLD_")
        || std::getenv("MALLOC_TRIM_THRESHOLD_") || std::getenv("MALLOC_ARENA_MAX"))
        return;
    constexpr int kOneGiB = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, kOneGiB);
    // Setting the mmap threshold fixes it; without a trim threshold the heap would still shrink after every step.
    mallopt(M_TRIM_THRESHOLD, kOneGiB);
    mallopt(M_ARENA_MAX, 1);
#endif
}

} // namespace redifine
