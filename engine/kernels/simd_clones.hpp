// The engine is built for baseline x86-64 so the binary runs anywhere; the
// hand-written inner loops are also compiled for AVX2+FMA and picked at load
// time (GCC function multi-versioning), which doubles their vector width.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define CONVSCOPE_SIMD_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define CONVSCOPE_SIMD_CLONES
#endif
