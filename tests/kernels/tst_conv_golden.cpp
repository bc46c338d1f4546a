// Every case in tests/golden/conv/*.json (written by make_conv_golden.py from
// PyTorch) is run through the kernels with several tile sizes, and for
// through every lowering that applies (sgemm, direct depthwise, Winograd), and must match to 1e-4 relative.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kernels/conv1d.hpp"
#include "kernels/conv_transpose1d.hpp"

using namespace convscope::kernels;
using nlohmann::json;

namespace {

struct GoldenCase {
    json data;
    std::string file;
};

std::vector<float> floats(const json& j) { return j.get<std::vector<float>>(); }

PadMode pad_mode_from(const std::string& s) {
    if (s == "reflect") return PadMode::Reflect;
    if (s == "replicate") return PadMode::Replicate;
    if (s == "circular") return PadMode::Circular;
    return PadMode::Zeros;
}

Layout layout_from(const std::string& s) {
    return s == "channels_last" ? Layout::ChannelsLast : Layout::ChannelsFirst;
}

// Relative error against the larger of |expected| and the output's RMS, so
// entries that cancel to near zero are judged on the output's scale.
QString compare(const std::vector<float>& got, const std::vector<float>& want, double rel_tol) {
    if (got.size() != want.size())
        return QStringLiteral("size %1 != expected %2").arg(got.size()).arg(want.size());
    double sum_sq = 0;
    for (float v : want) sum_sq += double(v) * v;
    const double rms = want.empty() ? 1.0 : std::sqrt(sum_sq / double(want.size()));
    for (size_t i = 0; i < got.size(); ++i) {
        const double scale = std::max(std::abs(double(want[i])), rms);
        const double err = std::abs(double(got[i]) - double(want[i]));
        if (!(err <= rel_tol * scale))
            return QStringLiteral("y[%1] = %2, PyTorch gives %3 (relative error %4 > %5)")
                .arg(i)
                .arg(double(got[i]), 0, 'g', 9)
                .arg(double(want[i]), 0, 'g', 9)
                .arg(err / scale, 0, 'g', 3)
                .arg(rel_tol);
    }
    return {};
}

const char* algorithm_suffix(int alg) {
    if (alg < 0) return "";
    switch (Conv1dAlgorithm(alg)) {
    case Conv1dAlgorithm::Gemm: return "/gemm";
    case Conv1dAlgorithm::DepthwiseDirect: return "/direct";
    case Conv1dAlgorithm::Winograd: return "/winograd";
    }
    return "/?";
}

void run_conv1d(int algorithm, const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                std::span<const float> x, std::span<const float> w, std::span<const float> b, std::span<float> y,
                ConvWorkspace& ws) {
    if (algorithm < 0) return conv1d(g, layout, batch, length, x, w, b, y, ws);
    switch (Conv1dAlgorithm(algorithm)) {
    case Conv1dAlgorithm::Gemm: return conv1d_gemm(g, layout, batch, length, x, w, b, y, ws);
    case Conv1dAlgorithm::DepthwiseDirect: return depthwise_conv1d(g, layout, batch, length, x, w, b, y, ws);
    case Conv1dAlgorithm::Winograd: return winograd_conv1d(g, layout, batch, length, x, w, b, y, ws);
    }
}

}  // namespace

class TestConvGolden : public QObject {
    Q_OBJECT

    std::vector<GoldenCase> cases_;

    void load(const char* file) {
        const std::string path = std::string(CONVSCOPE_SOURCE_DIR) + "/tests/golden/conv/" + file;
        std::ifstream in(path);
        QVERIFY2(in.good(), qPrintable(QStringLiteral("cannot open golden file %1").arg(path.c_str())));
        const json doc = json::parse(in);
        for (const auto& c : doc.at("cases")) cases_.push_back({c, file});
    }

private slots:
    void initTestCase() {
        load("conv1d_grid.json");
        load("conv1d_edges.json");
        load("conv_transpose1d.json");
        QVERIFY2(cases_.size() >= 200, qPrintable(QStringLiteral("only %1 golden cases loaded").arg(cases_.size())));
    }

    void conv1d_matches_pytorch_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("tile");
        QTest::addColumn<int>("algorithm");  // -1 = conv1d's own choice
        for (size_t i = 0; i < cases_.size(); ++i) {
            const json& c = cases_[i].data;
            if (c.at("op") != "conv1d") continue;
            // conv1d's own choice, plus every lowering that applies to the geometry.
            std::vector<int> algorithms = {-1, int(Conv1dAlgorithm::Gemm)};
            if (c.at("groups") == c.at("in_channels")) algorithms.push_back(int(Conv1dAlgorithm::DepthwiseDirect));
            if (c.at("kernel_size") == 3 && c.at("stride") == 1 && c.at("dilation") == 1)
                algorithms.push_back(int(Conv1dAlgorithm::Winograd));
            for (int tile : c.at("tiles").get<std::vector<int>>())
                for (int alg : algorithms) {
                    const std::string row = c.at("name").get<std::string>() + "/tile" + std::to_string(tile) +
                                            algorithm_suffix(alg);
                    QTest::newRow(row.c_str()) << int(i) << tile << alg;
                }
        }
    }

    void conv1d_matches_pytorch() {
        QFETCH(int, index);
        QFETCH(int, tile);
        QFETCH(int, algorithm);
        const json& c = cases_[size_t(index)].data;
        Conv1dGeometry g;
        g.in_channels = c.at("in_channels");
        g.out_channels = c.at("out_channels");
        g.kernel_size = c.at("kernel_size");
        g.stride = c.at("stride");
        g.dilation = c.at("dilation");
        g.groups = c.at("groups");
        g.pad_left = c.at("pad_left");
        g.pad_right = c.at("pad_right");
        g.pad_mode = pad_mode_from(c.at("pad_mode"));
        const int64_t batch = c.at("batch"), length = c.at("length");
        QCOMPARE(conv1d_output_length(g, length), c.at("out_length").get<int64_t>());

        const auto x = floats(c.at("x")), w = floats(c.at("weight")), b = floats(c.at("bias"));
        const auto want = floats(c.at("y"));
        // Poisoned output: a missed element shows up as NaN, not a lucky zero.
        std::vector<float> y(want.size(), std::nanf(""));
        ConvWorkspace ws(tile);
        const Layout layout = layout_from(c.at("layout"));
        run_conv1d(algorithm, g, layout, batch, length, x, w, b, y, ws);
        const QString err = compare(y, want, 1e-4);
        QVERIFY2(err.isEmpty(), qPrintable(err));

        // A second call on the same workspace (stale scratch) must agree exactly.
        std::vector<float> again(want.size(), std::nanf(""));
        run_conv1d(algorithm, g, layout, batch, length, x, w, b, again, ws);
        QVERIFY2(again == y, "second call with a reused workspace differs from the first");
    }

    void conv_transpose1d_matches_pytorch_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("tile");
        for (size_t i = 0; i < cases_.size(); ++i) {
            const json& c = cases_[i].data;
            if (c.at("op") != "conv_transpose1d") continue;
            for (int tile : c.at("tiles").get<std::vector<int>>()) {
                const std::string row = c.at("name").get<std::string>() + "/tile" + std::to_string(tile);
                QTest::newRow(row.c_str()) << int(i) << tile;
            }
        }
    }

    void conv_transpose1d_matches_pytorch() {
        QFETCH(int, index);
        QFETCH(int, tile);
        const json& c = cases_[size_t(index)].data;
        ConvTranspose1dGeometry g;
        g.in_channels = c.at("in_channels");
        g.out_channels = c.at("out_channels");
        g.kernel_size = c.at("kernel_size");
        g.stride = c.at("stride");
        g.dilation = c.at("dilation");
        g.groups = c.at("groups");
        g.pad_left = c.at("pad_left");
        g.pad_right = c.at("pad_right");
        g.output_padding = c.at("output_padding");
        const int64_t batch = c.at("batch"), length = c.at("length");
        QCOMPARE(conv_transpose1d_output_length(g, length), c.at("out_length").get<int64_t>());

        const auto x = floats(c.at("x")), w = floats(c.at("weight")), b = floats(c.at("bias"));
        const auto want = floats(c.at("y"));
        std::vector<float> y(want.size(), std::nanf(""));
        ConvWorkspace ws(tile);
        conv_transpose1d(g, layout_from(c.at("layout")), batch, length, x, w, b, y, ws);
        const QString err = compare(y, want, 1e-4);
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestConvGolden)
#include "tst_conv_golden.moc"
