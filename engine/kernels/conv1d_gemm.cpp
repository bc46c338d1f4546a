// Conv1d lowered to cblas_sgemm, one length tile at a time so scratch stays
// bounded. Interior tiles with enough channels per group skip im2col: each tap
// k is then a plain strided view of x, and K sgemms accumulate into y.
#include <algorithm>
#include <cblas.h>

#include "kernels/conv1d.hpp"
#include "kernels/conv_arguments.hpp"
#include "kernels/im2col.hpp"
#include "kernels/integer_math.hpp"

namespace convscope::kernels {

namespace {

// Output positions whose whole receptive field lies inside the signal:
// t*s - pad_l >= 0 and t*s - pad_l + d*(k-1) <= L - 1.
struct Range {
    int64_t begin, end;
};
Range interior_outputs(const Conv1dGeometry& g, int64_t length, int64_t out_length) {
    const int64_t lo = std::clamp<int64_t>(ceil_div(g.pad_left, g.stride), 0, out_length);
    const int64_t hi = std::clamp<int64_t>(
        floor_div(length - 1 - g.dilation * (g.kernel_size - 1) + g.pad_left, g.stride) + 1, lo, out_length);
    return {lo, hi};
}

// Calls fn(t0, tile, interior) over [0, out_length) in tiles of at most `tile`,
// never letting a tile straddle the interior's edges.
template <class Fn>
void for_each_tile(Range interior, int64_t out_length, int64_t tile, Fn&& fn) {
    const Range parts[3] = {{0, interior.begin}, interior, {interior.end, out_length}};
    for (int part = 0; part < 3; ++part)
        for (int64_t t0 = parts[part].begin; t0 < parts[part].end; t0 += tile)
            fn(t0, std::min(tile, parts[part].end - t0), part == 1);
}

int to_int(int64_t v) { return static_cast<int>(v); }

void conv1d_gemm_channels_first(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                                const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const int64_t cin = g.in_per_group(), cout = g.out_per_group(), k_size = g.kernel_size;
    const int64_t depth = cin * k_size;
    const int64_t tile = ws.tile_length(depth, out_length);
    float* cols = ws.patches(static_cast<size_t>(depth * tile)).data();

    // Tap sgemms read x[ci, t + k*d - pad_l] as a matrix with unit column
    // stride, which needs stride 1; their A is the weight re-laid as
    // [groups][K][C_out/g][C_in/g].
    const bool tap_gemms = g.stride == 1 && cin >= ws.tap_gemm_min_channels();
    const float* taps = nullptr;
    if (tap_gemms) {
        auto packed = ws.packed_weights(static_cast<size_t>(g.out_channels * depth));
        for (int64_t gr = 0; gr < g.groups; ++gr)
            for (int64_t k = 0; k < k_size; ++k)
                for (int64_t co = 0; co < cout; ++co)
                    for (int64_t ci = 0; ci < cin; ++ci)
                        packed[static_cast<size_t>(((gr * k_size + k) * cout + co) * cin + ci)] =
                            w[((gr * cout + co) * cin + ci) * k_size + k];
        taps = packed.data();
    }
    // Only the tap path cares where the interior is; im2col tiles run end to end.
    const Range interior = tap_gemms ? interior_outputs(g, length, out_length) : Range{0, 0};

    for (int64_t n = 0; n < batch; ++n) {
        for (int64_t gr = 0; gr < g.groups; ++gr) {
            const float* x_group = x + (n * g.in_channels + gr * cin) * length;
            float* y_group = y + (n * g.out_channels + gr * cout) * out_length;
            for_each_tile(interior, out_length, tile, [&](int64_t t0, int64_t n_cols, bool inside) {
                float* c = y_group + t0;
                float beta = 0.0f;
                if (bias) {
                    // Seeding C with the bias and accumulating (beta = 1) costs
                    // one write pass instead of a separate add pass.
                    for (int64_t co = 0; co < cout; ++co) std::fill_n(c + co * out_length, n_cols, bias[gr * cout + co]);
                    beta = 1.0f;
                }
                if (tap_gemms && inside) {
                    for (int64_t k = 0; k < k_size; ++k) {
                        const float* b = x_group + t0 + k * g.dilation - g.pad_left;
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(cout), to_int(n_cols),
                                    to_int(cin), 1.0f, taps + (gr * k_size + k) * cout * cin, to_int(cin), b,
                                    to_int(length), k == 0 ? beta : 1.0f, c, to_int(out_length));
                    }
                    return;
                }
                im2col_channels_first(g, length, x_group, t0, n_cols, cols);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(cout), to_int(n_cols), to_int(depth),
                            1.0f, w + gr * cout * depth, to_int(depth), cols, to_int(n_cols), beta, c,
                            to_int(out_length));
            });
        }
    }
}

void conv1d_gemm_channels_last(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                               const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const int64_t cin = g.in_per_group(), cout = g.out_per_group(), k_size = g.kernel_size;
    const int64_t depth = cin * k_size;
    const int64_t tile = ws.tile_length(depth, out_length);
    float* patches = ws.patches(static_cast<size_t>(depth * tile)).data();

    // B is the weight re-laid as [groups][K][C_in/g][C_out/g]: for im2col it is
    // the [K*C_in/g, C_out/g] matrix matching the patch rows; for tap sgemms
    // each k-slice is that tap's [C_in/g, C_out/g] matrix.
    auto packed = ws.packed_weights(static_cast<size_t>(g.out_channels * depth));
    for (int64_t gr = 0; gr < g.groups; ++gr)
        for (int64_t k = 0; k < k_size; ++k)
            for (int64_t ci = 0; ci < cin; ++ci)
                for (int64_t co = 0; co < cout; ++co)
                    packed[static_cast<size_t>(((gr * k_size + k) * cin + ci) * cout + co)] =
                        w[((gr * cout + co) * cin + ci) * k_size + k];
    const float* wp = packed.data();
    const bool tap_gemms = cin >= ws.tap_gemm_min_channels();
    // Only the tap path cares where the interior is; im2col tiles run end to end.
    const Range interior = tap_gemms ? interior_outputs(g, length, out_length) : Range{0, 0};

    for (int64_t n = 0; n < batch; ++n) {
        const float* x_item = x + n * length * g.in_channels;
        for (int64_t gr = 0; gr < g.groups; ++gr) {
            for_each_tile(interior, out_length, tile, [&](int64_t t0, int64_t n_rows, bool inside) {
                float* c = y + (n * out_length + t0) * g.out_channels + gr * cout;
                float beta = 0.0f;
                if (bias) {
                    for (int64_t j = 0; j < n_rows; ++j) std::copy_n(bias + gr * cout, cout, c + j * g.out_channels);
                    beta = 1.0f;
                }
                if (tap_gemms && inside) {
                    // Rows of A are x[t*s + k*d - pad_l, group channels]: stride s*C_in.
                    for (int64_t k = 0; k < k_size; ++k) {
                        const float* a = x_item + (t0 * g.stride + k * g.dilation - g.pad_left) * g.in_channels +
                                         gr * cin;
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(n_rows), to_int(cout),
                                    to_int(cin), 1.0f, a, to_int(g.stride * g.in_channels),
                                    wp + (gr * k_size + k) * cin * cout, to_int(cout), k == 0 ? beta : 1.0f, c,
                                    to_int(g.out_channels));
                    }
                    return;
                }
                im2col_channels_last(g, length, x_item + gr * cin, t0, n_rows, patches);
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(n_rows), to_int(cout), to_int(depth),
                            1.0f, patches, to_int(depth), wp + gr * depth * cout, to_int(cout), beta, c,
                            to_int(g.out_channels));
            });
        }
    }
}

}  // namespace

void conv1d_gemm(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
                 std::span<const float> weight, std::span<const float> bias, std::span<float> y, ConvWorkspace& ws) {
    const int64_t out_length = check_conv1d_arguments(g, batch, length, x, weight, bias, y);
    const float* b = bias.empty() ? nullptr : bias.data();
    if (layout == Layout::ChannelsFirst)
        conv1d_gemm_channels_first(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
    else
        conv1d_gemm_channels_last(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
}

}  // namespace convscope::kernels
