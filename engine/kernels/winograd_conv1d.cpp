// Conv1d with kernel 3, stride 1, dilation 1 by Winograd F(4,3): four outputs
// from six input samples with 6 multiplications per (in, out) channel pair
// instead of 12. The multiplications become six sgemms over the channels, one
// per transform point, so the channel mixing still runs on BLAS; the
// transforms are cheap adds. Halves the FLOPs of the common k=3 'same' layer.
//   y = A^T [ (G g) .* (B^T d) ]   (Lavin & Gray, points 0, +-1, +-2, inf)
#include <algorithm>
#include <array>
#include <cblas.h>
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

constexpr int64_t kPoints = 6;   // transform points
constexpr int64_t kOutputs = 4;  // outputs per tile
constexpr int64_t kInputs = 6;   // input samples per tile

int to_int(int64_t v) { return static_cast<int>(v); }

// G g: the 3 taps of one (out, in) pair at the 6 points.
std::array<float, kPoints> transform_taps(float g0, float g1, float g2) {
    return {g0 / 4.0f,
            -(g0 + g1 + g2) / 6.0f,
            (-g0 + g1 - g2) / 6.0f,
            g0 / 24.0f + g1 / 12.0f + g2 / 6.0f,
            g0 / 24.0f - g1 / 12.0f + g2 / 6.0f,
            g2};
}

// B^T d for n lanes at once: d[r] points at sample r of each lane (lane stride 1),
// v[p] receives point p.
CONVSCOPE_SIMD_CLONES
void input_transform(int64_t n, const float* const* __restrict d, float* const* __restrict v) {
    const float *d0 = d[0], *d1 = d[1], *d2 = d[2], *d3 = d[3], *d4 = d[4], *d5 = d[5];
    float *v0 = v[0], *v1 = v[1], *v2 = v[2], *v3 = v[3], *v4 = v[4], *v5 = v[5];
    for (int64_t c = 0; c < n; ++c) {
        v0[c] = 4.0f * d0[c] - 5.0f * d2[c] + d4[c];
        v1[c] = -4.0f * (d1[c] + d2[c]) + d3[c] + d4[c];
        v2[c] = 4.0f * (d1[c] - d2[c]) - d3[c] + d4[c];
        v3[c] = 2.0f * (d3[c] - d1[c]) - d2[c] + d4[c];
        v4[c] = 2.0f * (d1[c] - d3[c]) - d2[c] + d4[c];
        v5[c] = 4.0f * d1[c] - 5.0f * d3[c] + d5[c];
    }
}

// A^T m + bias for n lanes: m[p] points at point p of each lane, y[r] receives
// output r (null when that output is past the end).
CONVSCOPE_SIMD_CLONES
void output_transform(int64_t n, const float* const* __restrict m, const float* __restrict bias,
                      float* const* __restrict y) {
    const float *m0 = m[0], *m1 = m[1], *m2 = m[2], *m3 = m[3], *m4 = m[4], *m5 = m[5];
    for (int64_t c = 0; c < n; ++c) {
        const float b = bias ? bias[c] : 0.0f;
        const float s12 = m1[c] + m2[c], d12 = m1[c] - m2[c];
        const float s34 = m3[c] + m4[c], d34 = m3[c] - m4[c];
        if (y[0]) y[0][c] = b + m0[c] + s12 + s34;
        if (y[1]) y[1][c] = b + d12 + 2.0f * d34;
        if (y[2]) y[2][c] = b + s12 + 4.0f * s34;
        if (y[3]) y[3][c] = b + d12 + 8.0f * d34 + m5[c];
    }
}

// B^T d for n consecutive tiles of one channel row: tile j reads s[4j .. 4j+5].
// The stride-4 interleave is what keeps channels-first from a transposing copy.
CONVSCOPE_SIMD_CLONES
void input_transform_row(int64_t n, const float* __restrict s, float* const* __restrict v) {
    float *v0 = v[0], *v1 = v[1], *v2 = v[2], *v3 = v[3], *v4 = v[4], *v5 = v[5];
    for (int64_t j = 0; j < n; ++j) {
        const float* d = s + 4 * j;
        v0[j] = 4.0f * d[0] - 5.0f * d[2] + d[4];
        v1[j] = -4.0f * (d[1] + d[2]) + d[3] + d[4];
        v2[j] = 4.0f * (d[1] - d[2]) - d[3] + d[4];
        v3[j] = 2.0f * (d[3] - d[1]) - d[2] + d[4];
        v4[j] = 2.0f * (d[1] - d[3]) - d[2] + d[4];
        v5[j] = 4.0f * d[1] - 5.0f * d[3] + d[5];
    }
}

// A^T m + b for n consecutive whole tiles of one channel row: tile j writes y[4j .. 4j+3].
CONVSCOPE_SIMD_CLONES
void output_transform_row(int64_t n, const float* const* __restrict m, float b, float* __restrict y) {
    const float *m0 = m[0], *m1 = m[1], *m2 = m[2], *m3 = m[3], *m4 = m[4], *m5 = m[5];
    for (int64_t j = 0; j < n; ++j) {
        const float s12 = m1[j] + m2[j], d12 = m1[j] - m2[j];
        const float s34 = m3[j] + m4[j], d34 = m3[j] - m4[j];
        y[4 * j + 0] = b + m0[j] + s12 + s34;
        y[4 * j + 1] = b + d12 + 2.0f * d34;
        y[4 * j + 2] = b + s12 + 4.0f * s34;
        y[4 * j + 3] = b + d12 + 8.0f * d34 + m5[j];
    }
}

struct Plan {
    int64_t cin, cout, tiles_per_item, total_tiles, chunk;
};

Plan make_plan(const Conv1dGeometry& g, int64_t batch, int64_t out_length, const ConvWorkspace& ws) {
    Plan p{};
    p.cin = g.in_per_group();
    p.cout = g.out_per_group();
    p.tiles_per_item = ceil_div(out_length, kOutputs);
    p.total_tiles = batch * p.tiles_per_item;
    // Scratch per tile is 6 * (C_in/g + C_out/g) floats, but each sgemm only
    // touches one point's sixth of it, which is what has to stay in cache.
    p.chunk = ws.tile_length((p.cin + p.cout), p.total_tiles);
    return p;
}

// Where tile f of the flattened (item, tile) index starts reading.
struct TileOrigin {
    int64_t item, first_out;
};
TileOrigin origin(const Plan& p, int64_t f) {
    const int64_t item = f / p.tiles_per_item;
    return {item, (f - item * p.tiles_per_item) * kOutputs};
}

void winograd_channels_first(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                             const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const Plan p = make_plan(g, batch, out_length, ws);
    const int64_t cin = p.cin, cout = p.cout, chunk = p.chunk;
    // U[group][point][co][ci], the sgemms' A.
    auto u = ws.packed_weights(static_cast<size_t>(g.groups * kPoints * cout * cin));
    for (int64_t gr = 0; gr < g.groups; ++gr)
        for (int64_t co = 0; co < cout; ++co)
            for (int64_t ci = 0; ci < cin; ++ci) {
                const float* taps = w + ((gr * cout + co) * cin + ci) * 3;
                const auto t = transform_taps(taps[0], taps[1], taps[2]);
                for (int64_t pt = 0; pt < kPoints; ++pt)
                    u[static_cast<size_t>(((gr * kPoints + pt) * cout + co) * cin + ci)] = t[size_t(pt)];
            }
    // V[point][ci][tile] and M[point][co][tile].
    auto scratch = ws.patches(static_cast<size_t>(kPoints * chunk * (cin + cout)));
    float* v = scratch.data();
    float* m = v + kPoints * chunk * cin;

    // Tiles whose six inputs are all inside the signal: [interior_lo, interior_hi)
    // of each item; the others go through padded_source_index.
    const int64_t interior_lo = ceil_div(g.pad_left, kOutputs);
    const int64_t interior_hi = std::max(interior_lo, floor_div(length - kInputs + g.pad_left, kOutputs) + 1);
    // Whole tiles (all four outputs inside y): [0, full_tiles).
    const int64_t full_tiles = out_length / kOutputs;

    for (int64_t gr = 0; gr < g.groups; ++gr) {
        for (int64_t f0 = 0; f0 < p.total_tiles; f0 += chunk) {
            const int64_t nt = std::min(chunk, p.total_tiles - f0);
            // The chunk as runs of consecutive tiles within one item.
            for (int64_t ci = 0; ci < cin; ++ci) {
                for (int64_t j0 = 0; j0 < nt;) {
                    const auto [item, first_out] = origin(p, f0 + j0);
                    const int64_t tile0 = first_out / kOutputs;
                    const int64_t run = std::min(nt - j0, p.tiles_per_item - tile0);
                    const float* src = x + (item * g.in_channels + gr * cin + ci) * length;
                    float* vp[kPoints];
                    for (int64_t pt = 0; pt < kPoints; ++pt) vp[pt] = v + (pt * cin + ci) * chunk + j0;
                    const int64_t lo = std::clamp(interior_lo, tile0, tile0 + run);
                    const int64_t hi = std::clamp(interior_hi, lo, tile0 + run);
                    if (hi > lo) {
                        float* vi[kPoints];
                        for (int64_t pt = 0; pt < kPoints; ++pt) vi[pt] = vp[pt] + (lo - tile0);
                        input_transform_row(hi - lo, src + lo * kOutputs - g.pad_left, vi);
                    }
                    auto edge_tile = [&](int64_t t) {
                        float d[kInputs];
                        for (int64_t r = 0; r < kInputs; ++r) {
                            const int64_t q = padded_source_index(g.pad_mode, t * kOutputs - g.pad_left + r, length);
                            d[r] = q < 0 ? 0.0f : src[q];
                        }
                        float* ve[kPoints];
                        for (int64_t pt = 0; pt < kPoints; ++pt) ve[pt] = vp[pt] + (t - tile0);
                        input_transform_row(1, d, ve);
                    };
                    for (int64_t t = tile0; t < lo; ++t) edge_tile(t);
                    for (int64_t t = hi; t < tile0 + run; ++t) edge_tile(t);
                    j0 += run;
                }
            }
            for (int64_t pt = 0; pt < kPoints; ++pt)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(cout), to_int(nt), to_int(cin), 1.0f,
                            u.data() + (gr * kPoints + pt) * cout * cin, to_int(cin), v + pt * cin * chunk,
                            to_int(chunk), 0.0f, m + pt * cout * chunk, to_int(chunk));
            for (int64_t co = 0; co < cout; ++co) {
                const float b = bias ? bias[gr * cout + co] : 0.0f;
                for (int64_t j0 = 0; j0 < nt;) {
                    const auto [item, first_out] = origin(p, f0 + j0);
                    const int64_t tile0 = first_out / kOutputs;
                    const int64_t run = std::min(nt - j0, p.tiles_per_item - tile0);
                    float* dst = y + (item * g.out_channels + gr * cout + co) * out_length;
                    const float* mp[kPoints];
                    for (int64_t pt = 0; pt < kPoints; ++pt) mp[pt] = m + (pt * cout + co) * chunk + j0;
                    const int64_t whole = std::clamp<int64_t>(full_tiles - tile0, 0, run);
                    output_transform_row(whole, mp, b, dst + tile0 * kOutputs);
                    if (whole < run) {  // the item's last, partial tile
                        float last[kOutputs];
                        const float* me[kPoints];
                        for (int64_t pt = 0; pt < kPoints; ++pt) me[pt] = mp[pt] + whole;
                        output_transform_row(1, me, b, last);
                        const int64_t t_first = (tile0 + whole) * kOutputs;
                        for (int64_t r = 0; r < out_length - t_first; ++r) dst[t_first + r] = last[r];
                    }
                    j0 += run;
                }
            }
        }
    }
}

void winograd_channels_last(const Conv1dGeometry& g, int64_t batch, int64_t length, int64_t out_length,
                            const float* x, const float* w, const float* bias, float* y, ConvWorkspace& ws) {
    const Plan p = make_plan(g, batch, out_length, ws);
    const int64_t cin = p.cin, cout = p.cout, chunk = p.chunk;
    // U[group][point][ci][co], the sgemms' B.
    auto u = ws.packed_weights(static_cast<size_t>(g.groups * kPoints * cout * cin));
    for (int64_t gr = 0; gr < g.groups; ++gr)
        for (int64_t co = 0; co < cout; ++co)
            for (int64_t ci = 0; ci < cin; ++ci) {
                const float* taps = w + ((gr * cout + co) * cin + ci) * 3;
                const auto t = transform_taps(taps[0], taps[1], taps[2]);
                for (int64_t pt = 0; pt < kPoints; ++pt)
                    u[static_cast<size_t>(((gr * kPoints + pt) * cin + ci) * cout + co)] = t[size_t(pt)];
            }
    // V[point][tile][ci], M[point][tile][co], and one row of zeros for zero padding.
    auto scratch = ws.patches(static_cast<size_t>(kPoints * chunk * (cin + cout) + cin));
    float* v = scratch.data();
    float* m = v + kPoints * chunk * cin;
    float* zeros = m + kPoints * chunk * cout;
    std::fill_n(zeros, cin, 0.0f);

    for (int64_t gr = 0; gr < g.groups; ++gr) {
        for (int64_t f0 = 0; f0 < p.total_tiles; f0 += chunk) {
            const int64_t nt = std::min(chunk, p.total_tiles - f0);
            for (int64_t j = 0; j < nt; ++j) {
                const auto [item, first_out] = origin(p, f0 + j);
                const float* x_item = x + item * length * g.in_channels + gr * cin;
                const float* d[kInputs];
                for (int64_t r = 0; r < kInputs; ++r) {
                    const int64_t q = padded_source_index(g.pad_mode, first_out - g.pad_left + r, length);
                    d[r] = q < 0 ? zeros : x_item + q * g.in_channels;
                }
                float* vp[kPoints];
                for (int64_t pt = 0; pt < kPoints; ++pt) vp[pt] = v + (pt * chunk + j) * cin;
                input_transform(cin, d, vp);
            }
            for (int64_t pt = 0; pt < kPoints; ++pt)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_int(nt), to_int(cout), to_int(cin), 1.0f,
                            v + pt * chunk * cin, to_int(cin), u.data() + (gr * kPoints + pt) * cin * cout,
                            to_int(cout), 0.0f, m + pt * chunk * cout, to_int(cout));
            for (int64_t j = 0; j < nt; ++j) {
                const auto [item, first_out] = origin(p, f0 + j);
                const float* mp[kPoints];
                for (int64_t pt = 0; pt < kPoints; ++pt) mp[pt] = m + (pt * chunk + j) * cout;
                float* yr[kOutputs];
                for (int64_t r = 0; r < kOutputs; ++r)
                    yr[r] = first_out + r < out_length
                                ? y + (item * out_length + first_out + r) * g.out_channels + gr * cout
                                : nullptr;
                output_transform(cout, mp, bias ? bias + gr * cout : nullptr, yr);
            }
        }
    }
}

}  // namespace

bool winograd_applies(const Conv1dGeometry& g) {
    return g.kernel_size == 3 && g.stride == 1 && g.dilation == 1;
}

void winograd_conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
                     std::span<const float> weight, std::span<const float> bias, std::span<float> y,
                     ConvWorkspace& ws) {
    const int64_t out_length = check_conv1d_arguments(g, batch, length, x, weight, bias, y);
    if (!winograd_applies(g))
        throw std::invalid_argument("winograd_conv1d: needs kernel_size 3, stride 1, dilation 1; got kernel_size " +
                                    std::to_string(g.kernel_size) + ", stride " + std::to_string(g.stride) +
                                    ", dilation " + std::to_string(g.dilation));
    const float* b = bias.empty() ? nullptr : bias.data();
    if (layout == Layout::ChannelsFirst)
        winograd_channels_first(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
    else
        winograd_channels_last(g, batch, length, out_length, x.data(), weight.data(), b, y.data(), ws);
}

}  // namespace convscope::kernels
