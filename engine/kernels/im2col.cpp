#include "kernels/im2col.hpp"

#include <algorithm>
#include <cstring>

#include "kernels/integer_math.hpp"
#include "kernels/padding_mode.hpp"
#include "kernels/simd_clones.hpp"

namespace convscope::kernels {

namespace {

// For positions p(j) = base + j*s, the j in [0, tile) with 0 <= p(j) < length.
struct InRange {
    int64_t begin, end;
};
InRange in_range(int64_t base, int64_t s, int64_t length, int64_t tile) {
    const int64_t lo = std::clamp<int64_t>(ceil_div(-base, s), 0, tile);
    const int64_t hi = std::clamp<int64_t>(ceil_div(length - base, s), lo, tile);
    return {lo, hi};
}

// dst[j] = src[j*s] for j < n: the strided gather of a stride > 1 row, in
// its own function so the AVX2 clone can vectorise it.
CONVSCOPE_SIMD_CLONES
void gather_strided(int64_t n, const float* __restrict src, int64_t s, float* __restrict dst) {
    for (int64_t j = 0; j < n; ++j) dst[j] = src[j * s];
}

// Stride-2 gather written as a deinterleave, which compilers turn into shuffles.
CONVSCOPE_SIMD_CLONES
void gather_stride2(int64_t n, const float* __restrict src, float* __restrict dst) {
    for (int64_t j = 0; j < n; ++j) dst[j] = src[2 * j];
}

}  // namespace

void im2col_channels_first(const Conv1dGeometry& g, int64_t length, const float* x_group, int64_t t0, int64_t tile,
                           float* cols) {
    const int64_t cin = g.in_per_group(), k_size = g.kernel_size, s = g.stride;
    for (int64_t ci = 0; ci < cin; ++ci) {
        const float* src = x_group + ci * length;
        for (int64_t k = 0; k < k_size; ++k) {
            float* dst = cols + (ci * k_size + k) * tile;
            const int64_t base = t0 * s + k * g.dilation - g.pad_left;
            const auto [lo, hi] = in_range(base, s, length, tile);
            for (int64_t j = 0; j < lo; ++j) {
                const int64_t q = padded_source_index(g.pad_mode, base + j * s, length);
                dst[j] = q < 0 ? 0.0f : src[q];
            }
            if (s == 1) {
                std::memcpy(dst + lo, src + base + lo, static_cast<size_t>(hi - lo) * sizeof(float));
            } else if (s == 2) {
                gather_stride2(hi - lo, src + base + lo * s, dst + lo);
            } else {
                gather_strided(hi - lo, src + base + lo * s, s, dst + lo);
            }
            for (int64_t j = hi; j < tile; ++j) {
                const int64_t q = padded_source_index(g.pad_mode, base + j * s, length);
                dst[j] = q < 0 ? 0.0f : src[q];
            }
        }
    }
}

void im2col_channels_last(const Conv1dGeometry& g, int64_t length, const float* x_group, int64_t t0, int64_t tile,
                          float* patches) {
    const int64_t cin = g.in_per_group(), c_stride = g.in_channels, k_size = g.kernel_size;
    const int64_t s = g.stride, d = g.dilation, row = k_size * cin;
    const auto cin_bytes = static_cast<size_t>(cin) * sizeof(float);
    // When the group is all channels and taps are adjacent, one patch row is a
    // contiguous run of the input.
    const bool contiguous_rows = d == 1 && cin == c_stride;
    for (int64_t j = 0; j < tile; ++j) {
        float* dst = patches + j * row;
        const int64_t first = (t0 + j) * s - g.pad_left;
        const int64_t last = first + d * (k_size - 1);
        if (first >= 0 && last < length) {
            if (contiguous_rows) {
                std::memcpy(dst, x_group + first * c_stride, static_cast<size_t>(row) * sizeof(float));
            } else {
                for (int64_t k = 0; k < k_size; ++k)
                    std::memcpy(dst + k * cin, x_group + (first + k * d) * c_stride, cin_bytes);
            }
            continue;
        }
        for (int64_t k = 0; k < k_size; ++k) {
            const int64_t q = padded_source_index(g.pad_mode, first + k * d, length);
            if (q < 0)
                std::fill_n(dst + k * cin, cin, 0.0f);
            else
                std::memcpy(dst + k * cin, x_group + q * c_stride, cin_bytes);
        }
    }
}

}  // namespace convscope::kernels
