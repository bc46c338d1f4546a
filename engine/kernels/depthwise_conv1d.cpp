// Depthwise conv1d (groups == in_channels) as direct loops: each group is a
// 1-row sgemm, which BLAS runs far below its peak, while these loops
// vectorise along the length (channels-first) or the channels (channels-last).
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/conv1d.hpp"
#include "kernels/conv_arguments.hpp"
#include "kernels/integer_math.hpp"
#include "kernels/padding_mode.hpp"
#include "kernels/simd_clones.hpp"

namespace convscope::kernels {

namespace {

// out[j] += w * in[j*s] for j < n. Separate functions so the compiler knows
// the pointers do not alias and vectorises (and clones for AVX2).
CONVSCOPE_SIMD_CLONES
void axpy_unit(int64_t n, float w, const float* __restrict in, float* __restrict out) {
    for (int64_t j = 0; j < n; ++j) out[j] += w * in[j];
}
void axpy_strided(int64_t n, float w, const float* __restrict in, int64_t s, float* __restrict out) {
    for (int64_t j = 0; j < n; ++j) out[j] += w * in[j * s];
}
// out[c] += w[c] * in[c] for c < n.
CONVSCOPE_SIMD_CLONES
void multiply_add(int64_t n, const float* __restrict w, const float* __restrict in, float* __restrict out) {
    for (int64_t c = 0; c < n; ++c) out[c] += w[c] * in[c];
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

void depthwise_channels_first(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                              const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const int64_t mult = g.out_per_group(), k_size = g.kernel_size, s = g.stride, d = g.dilation;
    // One padded input window per tile: (tile-1)*s + d*(k-1) + 1 samples.
    const int64_t tile = ws.tile_length(s, out_length);
    const int64_t window = (tile - 1) * s + g.effective_kernel();
    float* padded = ws.patches(static_cast<size_t>(window)).data();

    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t c = 0; c < g.in_channels; ++c) {
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
                for (int64_t m = 0; m < mult; ++m) {
                    const int64_t oc = c * mult + m;
                    float* out = y + (n * g.out_channels + oc) * out_length + t0;
                    std::fill_n(out, n_out, bias ? bias[oc] : 0.0f);
                    const float* wk = w + oc * k_size;
                    for (int64_t k = 0; k < k_size; ++k) {
                        if (s == 1)
                            axpy_unit(n_out, wk[k], in + k * d, out);
                        else
                            axpy_strided(n_out, wk[k], in + k * d, s, out);
                    }
                }
            }
        }
    }
}

void depthwise_channels_last(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                             const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const int64_t channels = g.in_channels, mult = g.out_per_group(), k_size = g.kernel_size;
    const int64_t c_out = g.out_channels;
    // Weight re-laid as [K][C_out] so each tap is a contiguous row matching y's.
    auto packed = ws.packed_weights(static_cast<size_t>(k_size * c_out));
    for (int64_t oc = 0; oc < c_out; ++oc)
        for (int64_t k = 0; k < k_size; ++k) packed[static_cast<size_t>(k * c_out + oc)] = w[oc * k_size + k];
    // With a depth multiplier, input channel c feeds outputs c*mult .. c*mult+mult-1:
    // spread each input row once to C_out wide so the tap loop is one multiply-add.
    std::vector<float> spread(static_cast<size_t>(mult > 1 ? c_out : 0));

    for (int64_t n = 0; n < batch; ++n) {
        const float* x_item = x + n * length * channels;
        for (int64_t t = 0; t < out_length; ++t) {
            float* out = y + (n * out_length + t) * c_out;
            if (bias)
                std::copy_n(bias, c_out, out);
            else
                std::fill_n(out, c_out, 0.0f);
            const int64_t first = t * g.stride - g.pad_left;
            for (int64_t k = 0; k < k_size; ++k) {
                int64_t q = first + k * g.dilation;
                if (q < 0 || q >= length) q = padded_source_index(g.pad_mode, q, length);
                if (q < 0) continue;
                const float* in = x_item + q * channels;
                if (mult > 1) {
                    for (int64_t c = 0; c < channels; ++c) std::fill_n(spread.data() + c * mult, mult, in[c]);
                    in = spread.data();
                }
                multiply_add(c_out, packed.data() + k * c_out, in, out);
            }
        }
    }
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
    if (layout == Layout::ChannelsFirst)
        depthwise_channels_first(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
    else
        depthwise_channels_last(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
}

}  // namespace convscope::kernels
