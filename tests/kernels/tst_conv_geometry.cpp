// Output-length formulas, padding index resolution, workspace tiling bounds,
// and the invalid_argument guards against absurd geometry.
#include <QtTest>

#include <random>

#include <stdexcept>
#include <vector>

#include "kernels/blas_info.hpp"
#include "kernels/conv1d.hpp"
#include "kernels/conv_transpose1d.hpp"
#include "kernels/padding_mode.hpp"

using namespace convscope::kernels;

namespace {

Conv1dGeometry geometry(int64_t cin, int64_t cout, int64_t k, int64_t s = 1, int64_t d = 1, int64_t groups = 1,
                        int64_t pl = 0, int64_t pr = 0) {
    Conv1dGeometry g;
    g.in_channels = cin;
    g.out_channels = cout;
    g.kernel_size = k;
    g.stride = s;
    g.dilation = d;
    g.groups = groups;
    g.pad_left = pl;
    g.pad_right = pr;
    return g;
}

// Runs conv1d with correctly sized spans unless told otherwise; returns the
// exception message, or an empty string if none was thrown.
QString conv1d_error(const Conv1dGeometry& g, int64_t batch, int64_t length, std::ptrdiff_t x_delta = 0,
                     std::ptrdiff_t w_delta = 0, std::ptrdiff_t b_size = -1, std::ptrdiff_t y_delta = 0) {
    const int64_t cin_g = g.groups > 0 ? g.in_channels / g.groups : 0;
    const int64_t out_len = g.stride > 0 ? std::max<int64_t>(conv1d_output_length(g, length), 0) : 0;
    std::vector<float> x(size_t(std::max<int64_t>(batch * g.in_channels * length + x_delta, 0)), 1.0f);
    std::vector<float> w(size_t(std::max<int64_t>(g.out_channels * cin_g * g.kernel_size + w_delta, 0)), 1.0f);
    std::vector<float> b(size_t(b_size < 0 ? g.out_channels : b_size), 0.0f);
    std::vector<float> y(size_t(std::max<int64_t>(batch * g.out_channels * out_len + y_delta, 0)));
    ConvWorkspace ws;
    try {
        conv1d(g, Layout::ChannelsFirst, batch, length, x, w, b, y, ws);
    } catch (const std::invalid_argument& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestConvGeometry : public QObject {
    Q_OBJECT

private slots:
    // The programs report the BLAS kernel through the engine (About box, benchmarks).
    void blasInfoNamesTheCoreAndSetsThreads() {
        const std::string core = convscope::kernels::blas_core_name();
        QVERIFY(!core.empty());
        const int before = convscope::kernels::blas_threads();
        convscope::kernels::set_blas_threads(1);
        QCOMPARE(convscope::kernels::blas_threads(), 1);
        convscope::kernels::set_blas_threads(0);  // clamped: zero threads is not a setting
        QCOMPARE(convscope::kernels::blas_threads(), 1);
        convscope::kernels::set_blas_threads(before);
    }

    void output_length_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<int>("pad_left");
        QTest::addColumn<int>("pad_right");
        QTest::addColumn<int>("expected");
        // L_out = floor((L + pl + pr - d*(k-1) - 1) / s) + 1
        QTest::newRow("valid k3") << 10 << 3 << 1 << 1 << 0 << 0 << 8;
        QTest::newRow("same k3") << 10 << 3 << 1 << 1 << 1 << 1 << 10;
        QTest::newRow("stride 2 floors") << 10 << 3 << 2 << 1 << 0 << 0 << 4;
        QTest::newRow("stride 3 exact") << 10 << 1 << 3 << 1 << 0 << 0 << 4;
        QTest::newRow("dilation 4") << 20 << 3 << 1 << 4 << 0 << 0 << 12;
        QTest::newRow("causal d2 k5") << 7 << 5 << 1 << 2 << 8 << 0 << 7;
        QTest::newRow("asymmetric") << 9 << 4 << 2 << 1 << 1 << 2 << 5;
        QTest::newRow("length == effective kernel") << 9 << 5 << 3 << 2 << 0 << 0 << 1;
        QTest::newRow("one short: zero") << 8 << 5 << 1 << 2 << 0 << 0 << 0;
        QTest::newRow("far too short: negative") << 2 << 5 << 1 << 2 << 0 << 0 << -6;
        QTest::newRow("too short, stride floors below zero") << 3 << 5 << 2 << 1 << 0 << 0 << 0;
    }
    void output_length() {
        QFETCH(int, length);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, dilation);
        QFETCH(int, pad_left);
        QFETCH(int, pad_right);
        QFETCH(int, expected);
        const auto g = geometry(1, 1, kernel, stride, dilation, 1, pad_left, pad_right);
        QCOMPARE(conv1d_output_length(g, length), int64_t(expected));
    }

    void transpose_output_length() {
        // L_out = (L - 1)*s - pl - pr + d*(k-1) + output_padding + 1
        ConvTranspose1dGeometry g;
        g.kernel_size = 4;
        g.stride = 2;
        QCOMPARE(conv_transpose1d_output_length(g, 10), int64_t(22));
        g.pad_left = 1;
        g.pad_right = 2;
        g.output_padding = 1;
        QCOMPARE(conv_transpose1d_output_length(g, 10), int64_t(20));
        g.dilation = 3;
        QCOMPARE(conv_transpose1d_output_length(g, 10), int64_t(26));
        // Keras 'same' for a stride-2 transpose doubles the length: pads 1 + 1 with k=4.
        ConvTranspose1dGeometry same;
        same.kernel_size = 4;
        same.stride = 2;
        same.pad_left = 1;
        same.pad_right = 1;
        QCOMPARE(conv_transpose1d_output_length(same, 50), int64_t(100));
    }

    void padded_index() {
        // Signal 0 1 2 3 (length 4).
        QCOMPARE(padded_source_index(PadMode::Zeros, -1, 4), int64_t(-1));
        QCOMPARE(padded_source_index(PadMode::Zeros, 4, 4), int64_t(-1));
        QCOMPARE(padded_source_index(PadMode::Zeros, 2, 4), int64_t(2));
        // reflect: 3 2 1 [0 1 2 3] 2 1 0
        QCOMPARE(padded_source_index(PadMode::Reflect, -1, 4), int64_t(1));
        QCOMPARE(padded_source_index(PadMode::Reflect, -3, 4), int64_t(3));
        QCOMPARE(padded_source_index(PadMode::Reflect, 4, 4), int64_t(2));
        QCOMPARE(padded_source_index(PadMode::Reflect, 6, 4), int64_t(0));
        QCOMPARE(padded_source_index(PadMode::Reflect, 7, 4), int64_t(1));  // beyond PyTorch's domain: keeps mirroring
        QCOMPARE(padded_source_index(PadMode::Reflect, -5, 1), int64_t(0));
        // replicate: 0 0 [0 1 2 3] 3 3
        QCOMPARE(padded_source_index(PadMode::Replicate, -2, 4), int64_t(0));
        QCOMPARE(padded_source_index(PadMode::Replicate, 9, 4), int64_t(3));
        // circular: 2 3 [0 1 2 3] 0 1
        QCOMPARE(padded_source_index(PadMode::Circular, -2, 4), int64_t(2));
        QCOMPARE(padded_source_index(PadMode::Circular, 5, 4), int64_t(1));
        QCOMPARE(padded_source_index(PadMode::Circular, -9, 4), int64_t(3));
    }

    void workspace_tiles_stay_bounded() {
        ConvWorkspace ws;
        // A 10-million-step signal with 16 channels x k9 per patch row: the
        // tile, not the length, sets the scratch size.
        const int64_t floats_per_position = 16 * 9;
        const int64_t tile = ws.tile_length(floats_per_position, 10'000'000);
        QVERIFY(tile >= 1);
        QVERIFY2(size_t(tile * floats_per_position) * sizeof(float) <= ConvWorkspace::kMaxScratchBytes,
                 qPrintable(QStringLiteral("tile of %1 positions exceeds the scratch cap").arg(tile)));
        ws.set_max_tile_length(7);
        QCOMPARE(ws.tile_length(floats_per_position, 10'000'000), int64_t(7));
        QCOMPARE(ws.tile_length(floats_per_position, 3), int64_t(3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ws.tile_length(int64_t(1) << 40, 10));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ws.set_max_tile_length(-1));
    }

    void long_signal_uses_bounded_scratch() {
        // 1->4 channels, k=9 over 300k samples: reserved scratch must not grow with the length.
        auto g = geometry(1, 4, 9, 1, 1, 1, 4, 4);
        const int64_t length = 300'000;
        std::vector<float> x(size_t(length), 1.0f), w(4 * 9, 0.5f), y(size_t(4 * length));
        ConvWorkspace ws;
        for (Layout layout : {Layout::ChannelsFirst, Layout::ChannelsLast}) {
            conv1d(g, layout, 1, length, x, w, {}, y, ws);
            QVERIFY2(ws.bytes_reserved() <= ConvWorkspace::kDefaultTileBytes + 4096,
                     qPrintable(QStringLiteral("workspace holds %1 bytes").arg(ws.bytes_reserved())));
            // Interior output is the sum of 9 taps of 1 * 0.5.
            QCOMPARE(y[size_t(length / 2)], 4.5f);
        }
    }

    void bad_geometry_throws_data() {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("kernel 0") << 0 << "kernel_size";
        QTest::newRow("stride 0") << 1 << "stride";
        QTest::newRow("dilation 0") << 2 << "dilation";
        QTest::newRow("groups 0") << 3 << "groups";
        QTest::newRow("groups not dividing in") << 4 << "must divide in_channels";
        QTest::newRow("groups not dividing out") << 5 << "must divide out_channels";
        QTest::newRow("negative padding") << 6 << "padding";
        QTest::newRow("in_channels 0") << 7 << "in_channels";
        QTest::newRow("input shorter than kernel") << 8 << "output length";
    }
    void bad_geometry_throws() {
        QFETCH(int, field);
        QFETCH(QString, expected);
        auto g = geometry(4, 6, 3, 1, 1, 2);
        int64_t length = 10;
        switch (field) {
        case 0: g.kernel_size = 0; break;
        case 1: g.stride = 0; break;
        case 2: g.dilation = 0; break;
        case 3: g.groups = 0; break;
        case 4: g.groups = 3; g.out_channels = 6; break;
        case 5: g.out_channels = 5; break;
        case 6: g.pad_left = -1; break;
        case 7: g.in_channels = 0; break;
        case 8: length = 2; break;
        }
        const QString message = conv1d_error(g, 1, length);
        QVERIFY2(!message.isEmpty(), "no std::invalid_argument thrown");
        QVERIFY2(message.contains(expected),
                 qPrintable(QStringLiteral("message '%1' does not mention '%2'").arg(message, expected)));
    }

    void wrong_span_sizes_throw() {
        const auto g = geometry(4, 6, 3, 1, 1, 2);
        QVERIFY(conv1d_error(g, 2, 10).isEmpty());
        QVERIFY(conv1d_error(g, 2, 10, -1).contains("x has"));
        QVERIFY(conv1d_error(g, 2, 10, 0, 1).contains("weight has"));
        QVERIFY(conv1d_error(g, 2, 10, 0, 0, 5).contains("bias has"));
        QVERIFY(conv1d_error(g, 2, 10, 0, 0, 0).isEmpty());  // empty bias = no bias
        QVERIFY(conv1d_error(g, 2, 10, 0, 0, -1, 3).contains("y has"));
        QVERIFY(conv1d_error(g, 0, 10).isEmpty());  // empty batch is fine
    }

    void direct_depthwise_rejects_other_groups() {
        const auto g = geometry(4, 4, 3, 1, 1, 2);
        std::vector<float> x(40), w(4 * 2 * 3), y(32);
        ConvWorkspace ws;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 depthwise_conv1d(g, Layout::ChannelsLast, 1, 10, x, w, {}, y, ws));
    }

    void threaded_depthwise_matches_single_thread() {
        // Big enough that depthwise splits its rows across OpenBLAS's thread
        // count; the split must not change a single bit.
        for (Layout layout : {Layout::ChannelsFirst, Layout::ChannelsLast}) {
            for (int64_t mult : {1, 3}) {
                auto g = geometry(24, 24 * mult, 7, 1, 2, 24, 5, 7);
                g.pad_mode = PadMode::Reflect;
                const int64_t batch = 3, length = 4001, out_len = conv1d_output_length(g, length);
                std::mt19937 rng(5);
                std::normal_distribution<float> dist;
                std::vector<float> x(size_t(batch * 24 * length)), w(size_t(24 * mult * 7)), b(size_t(24 * mult));
                for (auto* v : {&x, &w, &b})
                    for (auto& e : *v) e = dist(rng);
                std::vector<float> one(size_t(batch * 24 * mult * out_len)), two(one.size());
                ConvWorkspace ws;
                convscope::kernels::set_blas_threads(1);
                depthwise_conv1d(g, layout, batch, length, x, w, b, one, ws);
                convscope::kernels::set_blas_threads(2);
                depthwise_conv1d(g, layout, batch, length, x, w, b, two, ws);
                QVERIFY2(one == two, qPrintable(QStringLiteral("layout %1, multiplier %2: threaded result differs")
                                                    .arg(int(layout)).arg(mult)));
            }
        }
    }

    void transpose_bad_geometry_throws() {
        ConvTranspose1dGeometry g;
        g.in_channels = 4;
        g.out_channels = 4;
        g.kernel_size = 3;
        g.stride = 2;
        g.output_padding = 2;  // must be < max(stride, dilation)
        std::vector<float> x(10 * 4), w(4 * 4 * 3), y(4 * 23);
        ConvWorkspace ws;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 conv_transpose1d(g, Layout::ChannelsFirst, 1, 10, x, w, {}, y, ws));
        g.output_padding = 1;
        g.groups = 3;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 conv_transpose1d(g, Layout::ChannelsFirst, 1, 10, x, w, {}, y, ws));
        g.groups = 1;
        y.resize(4 * 22);  // L_out = 9*2 + 2 + 1 + 1 = 22
        conv_transpose1d(g, Layout::ChannelsFirst, 1, 10, x, w, {}, y, ws);
        y.resize(4 * 21);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 conv_transpose1d(g, Layout::ChannelsFirst, 1, 10, x, w, {}, y, ws));
    }
};

QTEST_GUILESS_MAIN(TestConvGeometry)
#include "tst_conv_geometry.moc"
