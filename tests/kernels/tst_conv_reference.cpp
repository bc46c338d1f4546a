// Every lowering of the convolution kernels (im2col + sgemm, per-tap sgemm,
// Winograd F(4,3), direct depthwise, and the transposed convolution) against a
// naive reference written here from the definitions, on seeded random
// geometries: channels, groups, kernel, stride, dilation, asymmetric padding,
// every padding mode, both layouts, tiny and large tiles.
//
// The reference is deliberately the textbook loop and shares no code with the
// kernels (not even their padding rule), so a shared mistake cannot hide.
#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kernels/conv1d.hpp"
#include "kernels/conv_transpose1d.hpp"

using namespace convscope::kernels;

namespace {

// The sample a padded position reads, per torch.nn.functional.pad, inside its
// domain (reflect: pad < length; circular: pad <= length). nullopt = zero.
std::optional<int64_t> reference_source(PadMode mode, int64_t p, int64_t length) {
    if (p >= 0 && p < length) return p;
    switch (mode) {
    case PadMode::Zeros: return std::nullopt;
    case PadMode::Replicate: return p < 0 ? 0 : length - 1;
    case PadMode::Reflect: return p < 0 ? -p : 2 * (length - 1) - p;
    case PadMode::Circular: return ((p % length) + length) % length;
    }
    return std::nullopt;
}

int64_t index(Layout layout, int64_t n, int64_t c, int64_t t, int64_t channels, int64_t length) {
    return layout == Layout::ChannelsFirst ? (n * channels + c) * length + t : (n * length + t) * channels + c;
}

// y[n, o, t] = b[o] + sum_{c in group(o), k} w[o, c, k] * x_pad[n, g*Cg + c, t*s + k*d - pad_left]
std::vector<float> reference_conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                                    const std::vector<float>& x, const std::vector<float>& w,
                                    const std::vector<float>& b) {
    const int64_t out_len = (length + g.pad_left + g.pad_right - g.dilation * (g.kernel_size - 1) - 1) / g.stride + 1;
    const int64_t cin_g = g.in_channels / g.groups, cout_g = g.out_channels / g.groups;
    std::vector<float> y(size_t(batch * g.out_channels * out_len));
    for (int64_t n = 0; n < batch; ++n)
        for (int64_t o = 0; o < g.out_channels; ++o)
            for (int64_t t = 0; t < out_len; ++t) {
                double acc = b.empty() ? 0.0 : b[size_t(o)];
                const int64_t group = o / cout_g;
                for (int64_t c = 0; c < cin_g; ++c)
                    for (int64_t k = 0; k < g.kernel_size; ++k) {
                        const auto src = reference_source(g.pad_mode, t * g.stride + k * g.dilation - g.pad_left, length);
                        if (!src) continue;
                        const int64_t ci = group * cin_g + c;
                        acc += double(w[size_t((o * cin_g + c) * g.kernel_size + k)]) *
                               x[size_t(index(layout, n, ci, *src, g.in_channels, length))];
                    }
                y[size_t(index(layout, n, o, t, g.out_channels, out_len))] = float(acc);
            }
    return y;
}

// Scatter form: every input sample x[n, c, i] adds w[c, o, k] * x to the full
// output at i*s + k*d; the result is the full output trimmed by pad_left on the
// left and pad_right on the right, plus output_padding zeros (bias only) on the right.
std::vector<float> reference_conv_transpose1d(const ConvTranspose1dGeometry& g, Layout layout, int64_t batch,
                                              int64_t length, const std::vector<float>& x,
                                              const std::vector<float>& w, const std::vector<float>& b) {
    const int64_t full = (length - 1) * g.stride + g.dilation * (g.kernel_size - 1) + 1;
    const int64_t out_len = full - g.pad_left - g.pad_right + g.output_padding;
    const int64_t cin_g = g.in_channels / g.groups, cout_g = g.out_channels / g.groups;
    std::vector<double> acc(size_t(batch * g.out_channels * out_len), 0.0);
    for (int64_t n = 0; n < batch; ++n)
        for (int64_t c = 0; c < g.in_channels; ++c) {
            const int64_t group = c / cin_g;
            for (int64_t i = 0; i < length; ++i)
                for (int64_t oo = 0; oo < cout_g; ++oo)
                    for (int64_t k = 0; k < g.kernel_size; ++k) {
                        const int64_t t = i * g.stride + k * g.dilation - g.pad_left;
                        if (t < 0 || t >= out_len) continue;
                        const int64_t o = group * cout_g + oo;
                        acc[size_t(index(layout, n, o, t, g.out_channels, out_len))] +=
                            double(w[size_t((c * cout_g + oo) * g.kernel_size + k)]) *
                            x[size_t(index(layout, n, c, i, g.in_channels, length))];
                    }
        }
    std::vector<float> y(acc.size());
    for (int64_t n = 0; n < batch; ++n)
        for (int64_t o = 0; o < g.out_channels; ++o)
            for (int64_t t = 0; t < out_len; ++t) {
                const size_t at = size_t(index(layout, n, o, t, g.out_channels, out_len));
                y[at] = float(acc[at] + (b.empty() ? 0.0 : b[size_t(o)]));
            }
    return y;
}

// Relative error on the scale of max(|expected|, RMS of expected): sums that
// cancel to near zero are judged on the output's scale, as in the golden test.
QString compare(const std::vector<float>& got, const std::vector<float>& want, double tol) {
    if (got.size() != want.size()) return QStringLiteral("size %1 != %2").arg(got.size()).arg(want.size());
    double sq = 0;
    for (float v : want) sq += double(v) * v;
    const double rms = want.empty() ? 1.0 : std::sqrt(sq / double(want.size()));
    for (size_t i = 0; i < got.size(); ++i) {
        const double scale = std::max(std::abs(double(want[i])), rms);
        if (!(std::abs(double(got[i]) - want[i]) <= tol * scale))
            return QStringLiteral("y[%1] = %2, reference %3").arg(i).arg(got[i], 0, 'g', 9).arg(want[i], 0, 'g', 9);
    }
    return {};
}

std::vector<float> random_floats(std::mt19937_64& rng, int64_t count) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(count));
    for (auto& f : v) f = dist(rng);
    return v;
}

int64_t pick(std::mt19937_64& rng, int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

std::string describe(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length) {
    return "Cin=" + std::to_string(g.in_channels) + " Cout=" + std::to_string(g.out_channels) +
           " k=" + std::to_string(g.kernel_size) + " s=" + std::to_string(g.stride) +
           " d=" + std::to_string(g.dilation) + " groups=" + std::to_string(g.groups) +
           " pad=" + std::to_string(g.pad_left) + "/" + std::to_string(g.pad_right) + " mode=" +
           std::string(to_string(g.pad_mode)) + (layout == Layout::ChannelsFirst ? " NCL" : " NLC") +
           " N=" + std::to_string(batch) + " L=" + std::to_string(length);
}

constexpr double kTolerance = 1e-4;
constexpr uint64_t kSeed = 20261201;

}  // namespace

class ConvReference : public QObject {
    Q_OBJECT

private slots:
    // Each random geometry runs through every lowering that accepts it; the
    // counters prove each lowering was exercised, so a generator that drifts
    // away from (say) Winograd's geometry fails instead of passing vacuously.
    void everyLoweringMatchesTheNaiveReference() {
        std::mt19937_64 rng(kSeed);
        int im2col = 0, per_tap = 0, winograd = 0, depthwise = 0;
        for (int trial = 0; trial < 400; ++trial) {
            Conv1dGeometry g;
            g.groups = std::array<int64_t, 4>{1, 1, 2, 4}[size_t(pick(rng, 0, 3))];
            const bool make_depthwise = trial % 5 == 0;
            const bool make_winograd = trial % 5 == 1;
            g.in_channels = g.groups * pick(rng, 1, make_winograd ? 24 : 12);
            if (make_depthwise) {
                g.in_channels = pick(rng, 2, 9);
                g.groups = g.in_channels;
            }
            g.out_channels = g.groups * pick(rng, 1, make_winograd ? 24 : 6);
            g.kernel_size = make_winograd ? 3 : pick(rng, 1, 9);
            g.stride = make_winograd ? 1 : pick(rng, 1, 4);
            g.dilation = make_winograd ? 1 : pick(rng, 1, 4);
            g.pad_mode = static_cast<PadMode>(pick(rng, 0, 3));
            const int64_t batch = pick(rng, 1, 3);
            const int64_t reach = g.effective_kernel();
            const int64_t length = reach + pick(rng, 0, 40);
            // Padding within PyTorch's domain for the mode: reflect needs pad < L.
            const int64_t max_pad = std::min<int64_t>(reach, length - 1);
            g.pad_left = pick(rng, 0, max_pad);
            g.pad_right = pick(rng, 0, max_pad);
            const Layout layout = trial % 2 ? Layout::ChannelsLast : Layout::ChannelsFirst;

            const auto x = random_floats(rng, batch * g.in_channels * length);
            const auto w = random_floats(rng, g.out_channels * g.in_per_group() * g.kernel_size);
            const auto b = trial % 3 ? random_floats(rng, g.out_channels) : std::vector<float>{};
            const auto want = reference_conv1d(g, layout, batch, length, x, w, b);
            const int64_t out_len = conv1d_output_length(g, length);
            QCOMPARE(size_t(batch * g.out_channels * out_len), want.size());
            const std::string what = describe(g, layout, batch, length);

            auto run = [&](auto&& lowering, ConvWorkspace& ws, const char* name) {
                std::vector<float> y(want.size(), std::nanf(""));
                lowering(g, layout, batch, length, x, w, b, y, ws);
                const QString err = compare(y, want, kTolerance);
                QVERIFY2(err.isEmpty(), qPrintable(QStringLiteral("%1 on %2: %3").arg(name, what.c_str(), err)));
            };
            for (int64_t tile : {int64_t{0}, int64_t{3}}) {
                ConvWorkspace lowered(tile);
                lowered.set_tap_gemm_min_channels(1 << 30);  // im2col on every tile
                run(conv1d_gemm, lowered, "im2col");
                ++im2col;
                if (g.stride == 1) {
                    ConvWorkspace taps(tile);
                    taps.set_tap_gemm_min_channels(1);  // one sgemm per tap on interior tiles
                    run(conv1d_gemm, taps, "per-tap");
                    ++per_tap;
                }
                if (winograd_applies(g)) {
                    ConvWorkspace ws(tile);
                    run(winograd_conv1d, ws, "winograd");
                    ++winograd;
                }
                if (g.groups == g.in_channels && g.groups > 1) {
                    ConvWorkspace ws(tile);
                    run(depthwise_conv1d, ws, "depthwise");
                    ++depthwise;
                }
                ConvWorkspace chosen(tile);
                run(conv1d, chosen, "conv1d");
                // QVERIFY inside the lambda leaves only the lambda: stop at the first mismatch.
                if (QTest::currentTestFailed()) return;
            }
        }
        QVERIFY2(im2col >= 400 && per_tap >= 100 && winograd >= 100 && depthwise >= 100,
                 qPrintable(QStringLiteral("lowerings exercised: im2col %1, per-tap %2, winograd %3, depthwise %4")
                                .arg(im2col).arg(per_tap).arg(winograd).arg(depthwise)));
    }

    void transposedConvolutionMatchesTheNaiveReference() {
        std::mt19937_64 rng(kSeed + 1);
        for (int trial = 0; trial < 200; ++trial) {
            ConvTranspose1dGeometry g;
            g.groups = std::array<int64_t, 3>{1, 2, 3}[size_t(pick(rng, 0, 2))];
            g.in_channels = g.groups * pick(rng, 1, 6);
            g.out_channels = g.groups * pick(rng, 1, 6);
            g.kernel_size = pick(rng, 1, 7);
            g.stride = pick(rng, 1, 4);
            g.dilation = pick(rng, 1, 3);
            // PyTorch: output_padding < max(stride, dilation).
            g.output_padding = pick(rng, 0, std::max(g.stride, g.dilation) - 1);
            const int64_t batch = pick(rng, 1, 2), length = pick(rng, 1, 30);
            const int64_t full = (length - 1) * g.stride + g.dilation * (g.kernel_size - 1) + 1;
            g.pad_left = pick(rng, 0, (full - 1) / 2);
            g.pad_right = pick(rng, 0, (full - 1) / 2);
            const Layout layout = trial % 2 ? Layout::ChannelsLast : Layout::ChannelsFirst;
            const auto x = random_floats(rng, batch * g.in_channels * length);
            const auto w = random_floats(rng, g.in_channels * g.out_per_group() * g.kernel_size);
            const auto b = trial % 3 ? random_floats(rng, g.out_channels) : std::vector<float>{};
            const auto want = reference_conv_transpose1d(g, layout, batch, length, x, w, b);
            QCOMPARE(size_t(batch * g.out_channels * conv_transpose1d_output_length(g, length)), want.size());
            for (int64_t tile : {int64_t{0}, int64_t{2}}) {
                ConvWorkspace ws(tile);
                std::vector<float> y(want.size(), std::nanf(""));
                conv_transpose1d(g, layout, batch, length, x, w, b, y, ws);
                const QString err = compare(y, want, kTolerance);
                QVERIFY2(err.isEmpty(), qPrintable(QStringLiteral("transposed trial %1 (Cin=%2 Cout=%3 k=%4 s=%5 d=%6 "
                                                                  "groups=%7 pad=%8/%9 op=%10 L=%11): %12")
                                                       .arg(trial).arg(g.in_channels).arg(g.out_channels)
                                                       .arg(g.kernel_size).arg(g.stride).arg(g.dilation)
                                                       .arg(g.groups).arg(g.pad_left).arg(g.pad_right)
                                                       .arg(g.output_padding).arg(length).arg(err)));
            }
        }
    }

    // The reference itself, on a case small enough to work by hand, so a bug
    // in it cannot make the comparison above meaningless.
    void referenceAgreesWithAHandWorkedCase() {
        Conv1dGeometry g;
        g.kernel_size = 2;
        g.pad_left = 1;
        g.pad_mode = PadMode::Reflect;
        // x = [1 2 3], reflect-padded left by 1: [2 1 2 3]; w = [1 10]; b = 0.5
        const auto y = reference_conv1d(g, Layout::ChannelsFirst, 1, 3, {1, 2, 3}, {1, 10}, {0.5f});
        QCOMPARE(y, (std::vector<float>{2 + 10 + 0.5f, 1 + 20 + 0.5f, 2 + 30 + 0.5f}));
        ConvTranspose1dGeometry t;
        t.kernel_size = 2;
        t.stride = 2;
        // x = [1 2], w = [1 10]: full output [1 10 2 20]
        const auto z = reference_conv_transpose1d(t, Layout::ChannelsFirst, 1, 2, {1, 2}, {1, 10}, {});
        QCOMPARE(z, (std::vector<float>{1, 10, 2, 20}));
    }
};

QTEST_APPLESS_MAIN(ConvReference)
#include "tst_conv_reference.moc"
