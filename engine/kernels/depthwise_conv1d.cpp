// Depthwise conv1d (groups == in_channels) as direct loops: each group is a
// 1-row sgemm, which BLAS runs far below its peak, while these loops
// vectorise along the length (channels-first) or the channels (channels-last).
#include <algorithm>
#include <cblas.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kernels/conv1d.hpp"
#include "kernels/conv_arguments.hpp"
#include "kernels/integer_math.hpp"
#include "kernels/padding_mode.hpp"
#include "kernels/simd_clones.hpp"

namespace convscope::kernels {

namespace {

// out[j] += w * in[j*s] for j < n (strided depthwise). Separate functions so
// the compiler knows the pointers do not alias and vectorises.
void axpy_strided(int64_t n, float w, const float* __restrict in, int64_t s, float* __restrict out) {
    for (int64_t j = 0; j < n; ++j) out[j] += w * in[j * s];
}
// Channels-first rows sharing one input row: out_r[j] = b_r + sum_k w_r[k] in[j*1 + k*d]
// for R rows at once, 16 outputs per step held in registers across all taps,
// so each input load feeds R multiply-adds.
template <int R>
CONVSCOPE_SIMD_CLONES
void correlate_rows(int64_t n, int64_t k_size, int64_t d, const float* const* __restrict w, const float* __restrict in,
                    const float* __restrict b, float* const* __restrict out) {
    constexpr int64_t kBlock = 16;
    int64_t j = 0;
    for (; j + kBlock <= n; j += kBlock) {
        float acc[R][kBlock];
        for (int r = 0; r < R; ++r)
            for (int64_t i = 0; i < kBlock; ++i) acc[r][i] = b[r];
        for (int64_t k = 0; k < k_size; ++k) {
            const float* p = in + j + k * d;
            for (int r = 0; r < R; ++r) {
                const float wk = w[r][k];
                for (int64_t i = 0; i < kBlock; ++i) acc[r][i] += wk * p[i];
            }
        }
        for (int r = 0; r < R; ++r)
            for (int64_t i = 0; i < kBlock; ++i) out[r][j + i] = acc[r][i];
    }
    for (; j < n; ++j)
        for (int r = 0; r < R; ++r) {
            float a = b[r];
            for (int64_t k = 0; k < k_size; ++k) a += w[r][k] * in[j + k * d];
            out[r][j] = a;
        }
}

// Channels-last, depth multiplier 1: out[c] = bias[c] + sum_k w[k][c] * rows[k][c],
// 32 channels per step held in registers across the taps (rows[k] null = zero padding).
CONVSCOPE_SIMD_CLONES
void depthwise_row_cl(int64_t channels, int64_t k_size, const float* const* __restrict rows,
                      const float* __restrict w, const float* __restrict bias, float* __restrict out) {
    constexpr int64_t kBlock = 32;
    int64_t c0 = 0;
    for (; c0 + kBlock <= channels; c0 += kBlock) {
        float acc[kBlock];
        for (int64_t i = 0; i < kBlock; ++i) acc[i] = bias ? bias[c0 + i] : 0.0f;
        for (int64_t k = 0; k < k_size; ++k) {
            if (!rows[k]) continue;
            const float* x = rows[k] + c0;
            const float* wk = w + k * channels + c0;
            for (int64_t i = 0; i < kBlock; ++i) acc[i] += wk[i] * x[i];
        }
        for (int64_t i = 0; i < kBlock; ++i) out[c0 + i] = acc[i];
    }
    for (; c0 < channels; ++c0) {
        float a = bias ? bias[c0] : 0.0f;
        for (int64_t k = 0; k < k_size; ++k)
            if (rows[k]) a += w[k * channels + c0] * rows[k][c0];
        out[c0] = a;
    }
}


// Samples [first, first + span) of a padded row into dst: the in-range part
// copied, only the padding resolved sample by sample.
void padded_window(PadMode mode, const float* src, int64_t length, int64_t first, int64_t span, float* dst) {
    const int64_t lo = std::clamp<int64_t>(-first, 0, span);
    const int64_t hi = std::clamp<int64_t>(length - first, lo, span);
    for (int64_t i = 0; i < lo; ++i) {
        const int64_t q = padded_source_index(mode, first + i, length);
        dst[i] = q < 0 ? 0.0f : src[q];
    }
    std::copy(src + first + lo, src + first + hi, dst + lo);
    for (int64_t i = hi; i < span; ++i) {
        const int64_t q = padded_source_index(mode, first + i, length);
        dst[i] = q < 0 ? 0.0f : src[q];
    }
}

// Runs fn(worker, begin, end) over [0, total) split into `workers` contiguous
// ranges, the first on the calling thread.
template <class Fn>
void parallel_ranges(int64_t total, int64_t workers, Fn&& fn) {
    if (workers <= 1) return fn(0, 0, total);
    std::vector<std::jthread> helpers;
    for (int64_t w = 1; w < workers; ++w)
        helpers.emplace_back([&fn, w, workers, total] { fn(w, total * w / workers, total * (w + 1) / workers); });
    fn(0, 0, total / workers);
}

void depthwise_channels_first(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                              const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws,
                              int64_t workers) {
    const int64_t mult = g.out_per_group(), k_size = g.kernel_size, s = g.stride, d = g.dilation;
    // One padded input window per tile and worker: (tile-1)*s + d*(k-1) + 1 samples.
    const int64_t tile = ws.tile_length(s, out_length);
    const int64_t window = (tile - 1) * s + g.effective_kernel();
    float* windows = ws.patches(static_cast<size_t>(window * workers)).data();

    // Work items are (item, input channel) rows.
    parallel_ranges(batch * g.in_channels, workers, [&](int64_t worker, int64_t begin, int64_t end) {
        float* padded = windows + worker * window;
        for (int64_t row = begin; row < end; ++row) {
            const int64_t n = row / g.in_channels, c = row % g.in_channels;
            const float* src = x + (n * g.in_channels + c) * length;
            for (int64_t t0 = 0; t0 < out_length; t0 += tile) {
                const int64_t n_out = std::min(tile, out_length - t0);
                const int64_t first = t0 * s - g.pad_left;
                const int64_t span = (n_out - 1) * s + g.effective_kernel();
                const float* in = padded;
                if (first >= 0 && first + span <= length)
                    in = src + first;
                else
                    padded_window(g.pad_mode, src, length, first, span, padded);
                if (s == 1) {
                    // Output channels of this input channel, up to four at a time.
                    for (int64_t m0 = 0; m0 < mult;) {
                        const int64_t rows = std::min<int64_t>(4, mult - m0);
                        const float* wr[4];
                        float* outr[4];
                        float br[4];
                        for (int64_t r = 0; r < rows; ++r) {
                            const int64_t oc = c * mult + m0 + r;
                            wr[r] = w + oc * k_size;
                            outr[r] = y + (n * g.out_channels + oc) * out_length + t0;
                            br[r] = bias ? bias[oc] : 0.0f;
                        }
                        switch (rows) {
                        case 4: correlate_rows<4>(n_out, k_size, d, wr, in, br, outr); break;
                        case 3: correlate_rows<3>(n_out, k_size, d, wr, in, br, outr); break;
                        case 2: correlate_rows<2>(n_out, k_size, d, wr, in, br, outr); break;
                        default: correlate_rows<1>(n_out, k_size, d, wr, in, br, outr); break;
                        }
                        m0 += rows;
                    }
                    continue;
                }
                for (int64_t m = 0; m < mult; ++m) {
                    const int64_t oc = c * mult + m;
                    float* out = y + (n * g.out_channels + oc) * out_length + t0;
                    std::fill_n(out, n_out, bias ? bias[oc] : 0.0f);
                    const float* wk = w + oc * k_size;
                    for (int64_t k = 0; k < k_size; ++k) axpy_strided(n_out, wk[k], in + k * d, s, out);
                }
            }
        }
    });
}

void depthwise_channels_last(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                             const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws,
                             int64_t workers) {
    const int64_t channels = g.in_channels, mult = g.out_per_group(), k_size = g.kernel_size;
    const int64_t c_out = g.out_channels;
    // Weight re-laid as [mult][K][C_in]: for each multiplier slot m, tap k is a
    // contiguous row matching the input rows; bias likewise as [mult][C_in].
    // Output channel c*mult + m is slot m of input channel c.
    auto packed = ws.packed_weights(static_cast<size_t>(k_size * c_out + c_out));
    float* w_slots = packed.data();
    float* b_slots = w_slots + k_size * c_out;
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t m = 0; m < mult; ++m) {
            const int64_t oc = c * mult + m;
            for (int64_t k = 0; k < k_size; ++k) w_slots[(m * k_size + k) * channels + c] = w[oc * k_size + k];
            b_slots[m * channels + c] = bias ? bias[oc] : 0.0f;
        }

    // Work items are output positions of the flattened (item, time) axis.
    parallel_ranges(batch * out_length, workers, [&](int64_t, int64_t begin, int64_t end) {
        std::vector<const float*> rows(static_cast<size_t>(k_size));
        // With a multiplier, each slot's row is staged and interleaved into y.
        std::vector<float> stage(static_cast<size_t>(mult > 1 ? c_out : 0));
        for (int64_t pos = begin; pos < end; ++pos) {
            const int64_t n = pos / out_length, t = pos % out_length;
            const float* x_item = x + n * length * channels;
            const int64_t first = t * g.stride - g.pad_left;
            for (int64_t k = 0; k < k_size; ++k) {
                int64_t q = first + k * g.dilation;
                if (q < 0 || q >= length) q = padded_source_index(g.pad_mode, q, length);
                rows[static_cast<size_t>(k)] = q < 0 ? nullptr : x_item + q * channels;
            }
            float* out = y + (n * out_length + t) * c_out;
            if (mult == 1) {
                depthwise_row_cl(channels, k_size, rows.data(), w_slots, b_slots, out);
                continue;
            }
            for (int64_t m = 0; m < mult; ++m)
                depthwise_row_cl(channels, k_size, rows.data(), w_slots + m * k_size * channels,
                                 b_slots + m * channels, stage.data() + m * channels);
            for (int64_t c = 0; c < channels; ++c)
                for (int64_t m = 0; m < mult; ++m) out[c * mult + m] = stage[static_cast<size_t>(m * channels + c)];
        }
    });
}

}  // namespace

void depthwise_conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                      std::span<const float> x, std::span<const float> weight, std::span<const float> bias,
                      std::span<float> y, ConvWorkspace& ws) {
    const int64_t out_length = check_conv1d_arguments(g, batch, length, x, weight, bias, y);
    if (g.groups != g.in_channels)
        throw std::invalid_argument("depthwise_conv1d: groups (" + std::to_string(g.groups) +
                                    ") must equal in_channels (" + std::to_string(g.in_channels) + ")");
    const float* b = bias.empty() ? nullptr : bias.data();
    // These loops do not go through BLAS, so they take as many threads as
    // OpenBLAS is set to use (one knob for the whole conv1d), when the call is
    // big enough to repay starting them.
    const double macs = double(batch) * double(g.out_channels) * double(out_length) * double(g.kernel_size);
    const int64_t workers = macs < 2e6 ? 1 : std::clamp<int64_t>(openblas_get_num_threads(), 1, 64);
    if (layout == Layout::ChannelsFirst)
        depthwise_channels_first(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws, workers);
    else
        depthwise_channels_last(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws, workers);
}

}  // namespace convscope::kernels
