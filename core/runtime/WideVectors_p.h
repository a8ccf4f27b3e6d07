#pragma once
// Core-internal: element loops compiled for AVX-512 and AVX2 beside the baseline, the widest chosen when the
// program loads (GCC/Clang function multiversioning). The build targets plain x86-64, whose SSE2 loops are a
// quarter as wide as AVX-512's. Elsewhere the attribute is empty and the loop is compiled once.

#if defined(__x86_64__) && defined(__GNUC__)
#define REDIFINE_WIDE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define REDIFINE_WIDE_VECTOR_CLONES
#endif
