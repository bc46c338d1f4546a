// Transposed conv1d as sgemm + col2im: for a tile of input positions, one
// sgemm gives every (output channel, tap) contribution, which is then
// scatter-added at output position t*s + k*d - pad_l. Accumulating straight
// into y lets tiles overlap in the output without any halo bookkeeping.
#include <algorithm>
#include <cblas.h>

#include "kernels/conv_arguments.hpp"
#include "kernels/conv_transpose1d.hpp"
#include "kernels/integer_math.hpp"

namespace convscope::kernels {

namespace {

int to_int(int64_t v) { return static_cast<int>(v); }

// The j in [0, tile) whose output position (t0 + j)*s + k*d - pad_l lies in [0, out_length).
struct Range {
    int64_t begin, end;
};
Range landing(const ConvTranspose1dGeometry& g, int64_t t0, int64_t k, int64_t tile, int64_t out_length) {
    const int64_t base = t0 * g.stride + k * g.dilation - g.pad_left;
    const int64_t lo = std::clamp<int64_t>(ceil_div(-base, g.stride), 0, tile);
    const int64_t hi = std::clamp<int64_t>(ceil_div(out_length - base, g.stride), lo, tile);
    return {lo, hi};
}

void fill_bias(int64_t batch, int64_t channels, int64_t out_length, Layout layout, const float* bias, float* y) {
    for (int64_t n = 0; n < batch; ++n) {
        if (layout == Layout::ChannelsFirst) {
            for (int64_t c = 0; c < channels; ++c)
                std::fill_n(y + (n * channels + c) * out_length, out_length, bias ? bias[c] : 0.0f);
        } else {
            for (int64_t t = 0; t < out_length; ++t) {
                float* row = y + (n * out_length + t) * channels;
                if (bias)
                    std::copy_n(bias, channels, row);
                else
                    std::fill_n(row, channels, 0.0f);
            }
        }
    }
}

void transpose_channels_first(const ConvTranspose1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                              const float* x, const float* w, float* y, ConvWorkspace& ws) {
    const int64_t cin = g.in_per_group(), cout = g.out_per_group(), k_size = g.kernel_size;
    const int64_t rows = cout * k_size;
    const int64_t tile = ws.tile_length(rows, length);
    float* cols = ws.patches(static_cast<size_t>(rows * tile)).data();
    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
            const float* x_group = x + (n * g.in_channels + gr * cin) * length;
            float* y_group = y + (n * g.out_channels + gr * cout) * out_length;
            for (int64_t t0 = 0; t0 < length; t0 += tile) {
                const int64_t n_cols = std::min(tile, length - t0);
                // cols [C_out/g * K, tile] = W_g^T x X_g, W_g being the group's [C_in/g, C_out/g * K] rows.
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, to_int(rows), to_int(n_cols), to_int(cin), 1.0f,
                            w + gr * cin * rows, to_int(rows), x_group + t0, to_int(length), 0.0f, cols,
                            to_int(n_cols));
                for (int64_t co = 0; co < cout; ++co) {
                    float* out = y_group + co * out_length;
                    for (int64_t k = 0; k < k_size; ++k) {
                        const float* src = cols + (co * k_size + k) * n_cols;
                        const auto [lo, hi] = landing(g, t0, k, n_cols, out_length);
                        const int64_t base = t0 * g.stride + k * g.dilation - g.pad_left;
                        for (int64_t j = lo; j < hi; ++j) out[base + j * g.stride] += src[j];
                    }
                }
            }
        }
    }
}

void transpose_channels_last(const ConvTranspose1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                             const float* x, const float* w, float* y, ConvWorkspace& ws) {
    const int64_t cin = g.in_per_group(), cout = g.out_per_group(), k_size = g.kernel_size;
    const int64_t row = k_size * cout;
    const int64_t tile = ws.tile_length(row, length);
    float* cols = ws.patches(static_cast<size_t>(row * tile)).data();
    // Weight re-laid as [groups][C_in/g][K][C_out/g] so a cols row is K
    // contiguous runs of output channels, matching y's rows.
    auto packed = ws.packed_weights(static_cast<size_t>(g.in_channels * row));
    for (int64_t ci = 0; ci < g.in_channels; ++ci)
        for (int64_t co = 0; co < cout; ++co)
            for (int64_t k = 0; k < k_size; ++k)
                packed[static_cast<size_t>((ci * k_size + k) * cout + co)] = w[(ci * cout + co) * k_size + k];

    for (int64_t n = 0; n < batch; ++n) {
        const float* x_item = x + n * length * g.in_channels;
        float* y_item = y + n * out_length * g.out_channels;
        for (int64_t gr = 0; gr < g.groups; ++gr) {
            for (int64_t t0 = 0; t0 < length; t0 += tile) {
                const int64_t n_rows = std::min(tile, length - t0);
                // cols [tile, K * C_out/g] = X_g [tile, C_in/g] x W_g [C_in/g, K * C_out/g].
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(n_rows), to_int(row), to_int(cin), 1.0f,
                            x_item + t0 * g.in_channels + gr * cin, to_int(g.in_channels),
                            packed.data() + gr * cin * row, to_int(row), 0.0f, cols, to_int(row));
                for (int64_t k = 0; k < k_size; ++k) {
                    const auto [lo, hi] = landing(g, t0, k, n_rows, out_length);
                    for (int64_t j = lo; j < hi; ++j) {
                        const int64_t o = (t0 + j) * g.stride + k * g.dilation - g.pad_left;
                        float* dst = y_item + o * g.out_channels + gr * cout;
                        const float* src = cols + j * row + k * cout;
                        for (int64_t co = 0; co < cout; ++co) dst[co] += src[co];
                    }
                }
            }
        }
    }
}

}  // namespace

void conv_transpose1d(const ConvTranspose1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                      std::span<const float> x, std::span<const float> weight, std::span<const float> bias,
                      std::span<float> y, ConvWorkspace& ws) {
    const int64_t out_length = check_conv_transpose1d_arguments(g, batch, length, x, weight, bias, y);
    fill_bias(batch, g.out_channels, out_length, layout, bias.empty() ? nullptr : bias.data(), y.data());
    if (layout == Layout::ChannelsFirst)
        transpose_channels_first(g, batch, length, out_length, x.data(), weight.data(), y.data(), ws);
    else
        transpose_channels_last(g, batch, length, out_length, x.data(), weight.data(), y.data(), ws);
}

}  // namespace convscope::kernels
