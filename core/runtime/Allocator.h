#pragma once

namespace redifine {

// Keeps freed tensor memory in the process for the next step instead of returning it to the system.
// glibc serves blocks above its mmap threshold (128 KiB at start, raised only as such blocks are freed, to
// 32 MiB at most) with fresh mmap()s and gives them back on free(), so every denoising and training step
// faulted its activations in page by page again: a 30-step sampling of 16 tiny images took 4.4-5.9 s with the
// defaults and 3.3 s with blocks up to 32 MiB kept. Blocks above that (the attention of a 16x16 grid at
// pretraining batch sizes) still faulted: a pretraining step of the Stable Diffusion layout took 1.2 s with a
// 32 MiB threshold and 0.31 s with 1 GiB (2-core dev machine). Threads other than the main one get their own
// glibc arenas, whose heaps cannot hold a block above 64 MiB, so the studio's chain thread would map those
// afresh whatever the threshold; one arena for the whole process keeps them on the one heap.
// Called first thing in main(); a user's own GLIBC_TUNABLES or MALLOC_* settings are left alone.
void keepFreedMemoryForReuse();

} // namespace redifine
