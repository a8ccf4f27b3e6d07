#pragma once

namespace redifine {

// Keeps freed tensor memory in the process for the next step instead of returning it to the system.
// glibc serves blocks above its mmap threshold (128 KiB at start, raised only as such blocks are freed) with
// fresh mmap()s and gives them back on free(), so every denoising and training step faulted its activations
// in page by page again: a 30-step sampling of 16 tiny images took 4.4-5.9 s with the defaults and 3.3 s with
// blocks up to 32 MiB (glibc's largest threshold) kept on the heap and no trimming (2-core dev machine).
// Called first thing in main(); a user's own GLIBC_TUNABLES or MALLOC_* settings are left alone.
void keepFreedMemoryForReuse();

} // namespace redifine
