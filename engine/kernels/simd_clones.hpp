// The engine is built for baseline x86-64 so the binary runs anywhere; the
// hand-written inner loops are also compiled for AVX2 and picked at load time
// by CPU feature (GCC function multi-versioning), doubling their vector width.
// ("arch=haswell" clones would be picked only on Intel Haswell-family CPUs:
// GCC dispatches those on the CPU model, so AMD machines got the SSE2 copy.)
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define CONVSCOPE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CONVSCOPE_SIMD_CLONES
#endif
