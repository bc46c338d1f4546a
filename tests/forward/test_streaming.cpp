// run_forward_streaming: chunked along the length, it must give what run_forward
// gives whatever the chunk size, across strides, dilations, every padding kind and
// the length-changing layers; and it must refuse stacks whose layers are not
// length-local.
//
// "What run_forward gives" is bit for bit where the arithmetic per output is fixed
// (the direct loops, small sgemms). OpenBLAS's sgemm rounds an element differently
// depending on the call's dimensions (edge micro-kernels, the split across threads),
// and a chunk's sgemm is smaller than a whole-signal one, so stacks with wide
// sgemms agree to within rounding instead: checked at 1e-6 of the output's scale.
#include "forward_test_support.hpp"

#include "forward/streaming_forward.hpp"

using namespace convscope;
using namespace convscope::forward_test;
using nlohmann::json;

namespace {

Shape seq(const std::string& fmt, int64_t b, int64_t l, int64_t c) {
    return fmt == "channels_last" ? Shape{b, l, c} : Shape{b, c, l};
}

// Compares streamed and whole-signal outputs for each chunk size; returns "" or what differs.
// exact: every value equal; otherwise no value differs by more than 1e-6 of the largest
// output (summation-order rounding of the dot products, a few ulp at that scale).
std::string compare(const Stack& s, const Tensor& x, std::initializer_list<int64_t> chunks, bool exact = true) {
    const Trace t = trace_stack(s, TraceInput::uniform(x.shape), {false, false});
    if (!t.ok()) return "trace fails: " + t.error()->explanation;
    if (auto why = streaming_obstacle(s, t)) return "not streamable: " + *why;
    const StackWeights w = initialise_weights(s, t, InitScheme::PyTorch, 3);
    auto whole = run_forward(s, x, w);
    if (!whole) return whole.error().message;
    const Tensor& expected = whole->outputs.back().value;
    for (int64_t chunk : chunks) {
        StreamingOptions o;
        o.chunk_steps = chunk;
        auto streamed = run_forward_streaming(s, x, w, o);
        if (!streamed) return "chunk " + std::to_string(chunk) + ": " + streamed.error().message;
        if (streamed->shape != expected.shape)
            return "chunk " + std::to_string(chunk) + ": shape " + streamed->shape.to_string() + " vs " +
                   expected.shape.to_string();
        if (!exact) {
            double top = 0, worst = 0;
            for (size_t i = 0; i < expected.data.size(); ++i) {
                top = std::max(top, double(std::abs(expected.data[i])));
                worst = std::max(worst, double(std::abs(streamed->data[i] - expected.data[i])));
            }
            if (worst > 1e-6 * top)
                return "chunk " + std::to_string(chunk) + ": differs by " + QString::number(worst).toStdString() +
                       " on values up to " + QString::number(top).toStdString();
            continue;
        }
        for (size_t i = 0; i < expected.data.size(); ++i)
            if (streamed->data[i] != expected.data[i])
                return "chunk " + std::to_string(chunk) + ": value " + std::to_string(i) + " is " +
                       std::to_string(streamed->data[i]) + ", whole-signal " + std::to_string(expected.data[i]);
    }
    return {};
}

}  // namespace

class TestStreaming : public QObject {
    Q_OBJECT

private slots:
    void identical_to_run_forward_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("layers");
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("channels");
        QTest::addColumn<bool>("exact");
        const char* three_convs = R"([
            {"type": "Conv1D", "name": "a", "filters": 16, "kernel_size": 9, "padding": "same"},
            {"type": "Conv1D", "name": "b", "filters": 16, "kernel_size": 9, "padding": "same", "activation": "relu"},
            {"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 9, "padding": "same"}])";
        const char* mixed = R"([
            {"type": "Conv1D", "name": "causal", "filters": 6, "kernel_size": 3, "dilation_rate": 4, "padding": "causal"},
            {"type": "Conv1D", "name": "strided", "filters": 6, "kernel_size": 5, "strides": 2, "padding": [3, 1],
             "padding_mode": "reflect"},
            {"type": "BatchNormalization", "name": "bn"},
            {"type": "Activation", "name": "act", "activation": "gelu"},
            {"type": "MaxPooling1D", "name": "mp", "pool_size": 3, "strides": 2, "padding": 1},
            {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 4, "depth_multiplier": 2, "padding": [2, 1],
             "padding_mode": "replicate"},
            {"type": "ZeroPadding1D", "name": "zp", "padding": [5, 2]},
            {"type": "AveragePooling1D", "name": "ap", "pool_size": 3, "strides": 3, "padding": 1},
            {"type": "UpSampling1D", "name": "up", "size": 3},
            {"type": "SeparableConv1D", "name": "sep", "filters": 5, "kernel_size": 3, "padding": 1},
            {"type": "Cropping1D", "name": "crop", "cropping": [4, 7]},
            {"type": "Dropout", "name": "drop"},
            {"type": "Conv1D", "name": "valid", "filters": 4, "kernel_size": 7, "dilation_rate": 3}])";
        const char* keras = R"([
            {"type": "Masking", "name": "m"},
            {"type": "Conv1D", "name": "c1", "filters": 16, "kernel_size": 3, "padding": "same"},
            {"type": "Conv1D", "name": "c2", "filters": 8, "kernel_size": 4, "strides": 3, "padding": "same"},
            {"type": "AveragePooling1D", "name": "ap", "pool_size": 3, "strides": 2, "padding": "same"},
            {"type": "MaxPooling1D", "name": "mp", "pool_size": 2, "padding": "same"},
            {"type": "LayerNormalization", "name": "ln"},
            {"type": "Dense", "name": "fc", "units": 5, "activation": "tanh"}])";
        const char* wide = R"([
            {"type": "Conv1D", "name": "taps", "filters": 32, "kernel_size": 5, "dilation_rate": 2, "padding": "same"},
            {"type": "Conv1D", "name": "wino", "filters": 32, "kernel_size": 3, "padding": "causal"},
            {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 9, "padding": "same"}])";
        for (const char* fmt : {"channels_last", "channels_first"}) {
            QTest::newRow((std::string("three_convs_") + fmt).c_str()) << QString(fmt) << QString(three_convs) << 3001 << 8 << false;
            QTest::newRow((std::string("mixed_") + fmt).c_str()) << QString(fmt) << QString(mixed) << 2500 << 3 << true;
            QTest::newRow((std::string("wide_") + fmt).c_str()) << QString(fmt) << QString(wide) << 1500 << 32 << false;
        }
        QTest::newRow("keras_same_strided") << QString("channels_last") << QString(keras) << 2999 << 4 << false;
    }
    void identical_to_run_forward() {
        QFETCH(QString, format);
        QFETCH(QString, layers);
        QFETCH(int, length);
        QFETCH(int, channels);
        QFETCH(bool, exact);
        const std::string fmt = format.toStdString();
        const Stack s = make_stack(fmt, json::parse(layers.toStdString()));
        Tensor x = random_tensor(seq(fmt, 2, length, channels), 17);
        // A stretch of zeros, so Masking has steps to mask.
        for (int64_t t = 100; t < 140 && fmt == "channels_last"; ++t)
            for (int64_t c = 0; c < channels; ++c) x.at(1, t, c) = 0.0f;
        // Chunks smaller than the halo, odd sizes (rounded to 64), exactly the length, larger.
        const std::string diff = compare(s, x, {1, 64, 100, 640, 1000, int64_t(length), 1 << 20}, exact);
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void short_sequences_in_one_chunk() {
        const Stack s = make_stack("channels_first", json::parse(R"([
            {"type": "Conv1D", "name": "a", "filters": 2, "kernel_size": 3, "padding": "same", "padding_mode": "reflect"},
            {"type": "MaxPooling1D", "name": "p", "pool_size": 2}])"));
        const std::string diff = compare(s, random_tensor(Shape{3, 1, 5}, 2), {64});
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void refuses_layers_that_see_the_whole_sequence() {
        const Shape in{1, 50, 4};
        for (const char* layer : {R"({"type": "GlobalAveragePooling1D", "name": "bad"})",
                                  R"({"type": "Flatten", "name": "bad"})",
                                  R"({"type": "Conv1D", "name": "bad", "filters": 2, "kernel_size": 3, "padding": 1, "padding_mode": "circular"})",
                                  R"({"type": "MaxPooling1D", "name": "bad", "pool_size": 2, "ceil_mode": true})",
                                  R"({"type": "Conv1DTranspose", "name": "bad", "filters": 2, "kernel_size": 3})",
                                  R"({"type": "Permute", "name": "bad", "dims": [2, 1]})",
                                  R"({"type": "Activation", "name": "bad", "activation": "softmax"})"}) {
            const Stack s = make_stack("channels_first", json::array({json::parse(layer)}));
            const Trace t = trace_stack(s, TraceInput::uniform(in), {false, false});
            QVERIFY(t.ok());
            const auto why = streaming_obstacle(s, t);
            QVERIFY2(why.has_value(), layer);
            QVERIFY2(why->find("\"bad\"") != std::string::npos, why->c_str());
            auto r = run_forward_streaming(s, random_tensor(in, 1), initialise_weights(s, t, InitScheme::Keras, 0));
            QVERIFY(!r);
            QCOMPARE(r.error().message, *why);
        }
        // Dense and LayerNormalization act per step on channels_last only.
        const Stack cl = make_stack("channels_last", json::parse(R"([{"type": "LayerNormalization", "name": "ln"}, {"type": "Dense", "name": "d", "units": 3}])"));
        QVERIFY(!streaming_obstacle(cl, trace_stack(cl, TraceInput::uniform(in), {false, false})));
        const Stack cf = make_stack("channels_first", json::parse(R"([{"type": "LayerNormalization", "name": "ln"}])"));
        QVERIFY(streaming_obstacle(cf, trace_stack(cf, TraceInput::uniform(in), {false, false})));
    }

    void reports_progress_and_cancels() {
        const Stack s = make_stack("channels_last", json::parse(R"([{"type": "Conv1D", "name": "a", "filters": 2, "kernel_size": 3}])"));
        const Tensor x = random_tensor(Shape{1, 1000, 1}, 4);
        const Trace t = trace_stack(s, TraceInput::uniform(x.shape), {false, false});
        const auto w = initialise_weights(s, t, InitScheme::Keras, 0);
        std::vector<int64_t> seen;
        StreamingOptions o;
        o.chunk_steps = 256;
        o.progress = [&](int64_t done, int64_t total) {
            seen.push_back(done);
            return total == 998;
        };
        QVERIFY(run_forward_streaming(s, x, w, o).ok());
        QCOMPARE(seen, (std::vector<int64_t>{256, 512, 768, 998}));
        o.progress = [](int64_t, int64_t) { return false; };
        auto cancelled = run_forward_streaming(s, x, w, o);
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().message, std::string("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestStreaming)
#include "test_streaming.moc"
