// Every layer type's shape rule against values worked out by hand from the
// Keras and PyTorch documentation formulas (cited per case).
#include <QtTest>

#include "diagnosis/shape_trace.hpp"
#include "layers/layer_support.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

// Traces one layer on `in` and returns the output shape, or an empty shape on failure.
Shape one_layer(const std::string& type, json params, Shape in, DataFormat f = DataFormat::ChannelsLast,
                int64_t* param_count = nullptr) {
    Stack s;
    s.data_format = f;
    s.layers.push_back({type, "l", true, std::move(params)});
    if (auto st = validate_stack(s); !st) qFatal("invalid test stack: %s", st.error().message.c_str());
    Trace t = trace_stack(s, TraceInput::uniform(std::move(in)), {false, false});
    if (param_count) *param_count = t.steps[1].params;
    return t.steps[1].out ? t.steps[1].out->shape : Shape{};
}

}  // namespace

class TestLayerShapes : public QObject {
    Q_OBJECT
private slots:
    void conv1d_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<int>("format");  // 0 channels_last, 1 channels_first
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addColumn<int>("weights");
        // Keras 'valid': L_out = L - (k - 1) = 100 - 4
        QTest::newRow("valid k5") << R"({"filters":16,"kernel_size":5})" << 0 << "32,100,5" << "32,96,16" << 5 * 5 * 16 + 16;
        // Keras 'same', stride 1: L_out = L
        QTest::newRow("same k4") << R"({"filters":8,"kernel_size":4,"padding":"same"})" << 0 << "2,10,3" << "2,10,8" << 4 * 3 * 8 + 8;
        // Keras 'same', stride 2: L_out = ceil(101 / 2) = 51
        QTest::newRow("same s2 odd") << R"({"filters":4,"kernel_size":5,"strides":2,"padding":"same"})" << 0 << "1,101,2" << "1,51,4" << 5 * 2 * 4 + 4;
        // causal: left pad d*(k-1), L_out = L
        QTest::newRow("causal d2") << R"({"filters":4,"kernel_size":3,"dilation_rate":2,"padding":"causal"})" << 0 << "1,50,1" << "1,50,4" << 3 * 1 * 4 + 4;
        // Keras dilation 4, valid: L_out = L - d*(k-1) = 64 - 8
        QTest::newRow("dilated valid") << R"({"filters":2,"kernel_size":3,"dilation_rate":4,"use_bias":false})" << 0 << "1,64,2" << "1,56,2" << 3 * 2 * 2;
        // PyTorch: floor((100 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 50
        QTest::newRow("torch s2 p1") << R"({"filters":16,"kernel_size":3,"strides":2,"padding":1})" << 1 << "8,4,100" << "8,16,50" << 3 * 4 * 16 + 16;
        // PyTorch dilation 3, k 5: floor((100 - 3*4 - 1) / 1) + 1 = 88
        QTest::newRow("torch d3") << R"({"filters":2,"kernel_size":5,"dilation_rate":3})" << 1 << "1,1,100" << "1,2,88" << 5 * 2 + 2;
        // PyTorch explicit [2, 0] with k 3: L_out = L
        QTest::newRow("torch explicit asym") << R"({"filters":2,"kernel_size":3,"padding":[2,0]})" << 1 << "1,3,20" << "1,2,20" << 3 * 3 * 2 + 2;
        // groups=3: weight [12, 6/3, 3] -> 12*2*3 + 12 = 84
        QTest::newRow("groups 3") << R"({"filters":12,"kernel_size":3,"groups":3})" << 1 << "2,6,30" << "2,12,28" << 84;
        // PyTorch stride 3, k 7: floor((50 - 7) / 3) + 1 = 15
        QTest::newRow("stride 3") << R"({"filters":1,"kernel_size":7,"strides":3})" << 1 << "1,1,50" << "1,1,15" << 8;
        // length == kernel reach: exactly one output step
        QTest::newRow("exact fit") << R"({"filters":1,"kernel_size":9})" << 0 << "1,9,1" << "1,1,1" << 10;
    }
    void conv1d() {
        QFETCH(QString, params);
        QFETCH(int, format);
        QFETCH(QString, in);
        QFETCH(QString, out);
        QFETCH(int, weights);
        auto parse = [](const QString& s) {
            Shape r;
            for (const auto& p : s.split(',')) r.dims.push_back(p.toLongLong());
            return r;
        };
        int64_t count = -1;
        const Shape got = one_layer("Conv1D", json::parse(params.toStdString()), parse(in),
                                    format ? DataFormat::ChannelsFirst : DataFormat::ChannelsLast, &count);
        QCOMPARE(QString::fromStdString(got.to_string()), QString::fromStdString(parse(out).to_string()));
        QCOMPARE(count, int64_t(weights));
    }

    // PyTorch's F.pad mirrors at most L - 1 steps (reflect) and wraps at most once (circular).
    void padding_mode_reach() {
        const auto conv = [](const char* mode, int pad) {
            return json{{"filters", 1}, {"kernel_size", 3}, {"padding", pad}, {"padding_mode", mode}};
        };
        QCOMPARE(one_layer("Conv1D", conv("reflect", 3), {1, 1, 4}, DataFormat::ChannelsFirst), (Shape{1, 1, 8}));
        QCOMPARE(one_layer("Conv1D", conv("reflect", 4), {1, 1, 4}, DataFormat::ChannelsFirst), Shape{});
        QCOMPARE(one_layer("Conv1D", conv("circular", 4), {1, 1, 4}, DataFormat::ChannelsFirst), (Shape{1, 1, 10}));
        QCOMPARE(one_layer("Conv1D", conv("circular", 5), {1, 1, 4}, DataFormat::ChannelsFirst), Shape{});
        QCOMPARE(one_layer("Conv1D", conv("replicate", 9), {1, 1, 4}, DataFormat::ChannelsFirst), (Shape{1, 1, 20}));
        QCOMPARE(one_layer("Conv1D", conv("zeros", 9), {1, 1, 4}, DataFormat::ChannelsFirst), (Shape{1, 1, 20}));
    }

    void same_padding_split() {
        using namespace layer_support;
        const PaddingSpec same{PaddingSpec::Mode::Same, 0, 0};
        // k=4, s=1, L=10: total 3 -> 1 left, 2 right (the odd step goes right, as in TensorFlow).
        auto p = resolve_padding(same, 10, 4, 1);
        QCOMPARE(p.left, int64_t(1));
        QCOMPARE(p.right, int64_t(2));
        // k=5, s=2, L=101: out 51, total (51-1)*2 + 5 - 101 = 4 -> 2, 2.
        p = resolve_padding(same, 101, 5, 2);
        QCOMPARE(p.left, int64_t(2));
        QCOMPARE(p.right, int64_t(2));
        // k=3, s=2, L=10: out 5, total 8 + 3 - 10 = 1 -> 0 left, 1 right.
        p = resolve_padding(same, 10, 3, 2);
        QCOMPARE(p.left, int64_t(0));
        QCOMPARE(p.right, int64_t(1));
        // causal k=3 d=2: extent 5 -> 4 left, 0 right.
        p = resolve_padding({PaddingSpec::Mode::Causal, 0, 0}, 10, 5, 1);
        QCOMPARE(p.left, int64_t(4));
        QCOMPARE(p.right, int64_t(0));
        // valid that does not fit: floor((4 - 9) / 1) + 1 = -4
        QCOMPARE(window_output_length(4, {0, 0}, 9, 1), int64_t(-4));
        QCOMPARE(window_output_length(4, {0, 0}, 9, 2), int64_t(-2));  // floor(-5/2) + 1
    }

    void conv1d_transpose() {
        // PyTorch: (10-1)*2 - 2*1 + 1*(3-1) + 1 + 1 = 20
        QCOMPARE(one_layer("Conv1DTranspose", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", 1}, {"output_padding", 1}},
                           {1, 3, 10}, DataFormat::ChannelsFirst),
                 (Shape{1, 4, 20}));
        // Keras valid, no output_padding: L*s + max(k - s, 0) = 20 + 1
        QCOMPARE(one_layer("Conv1DTranspose", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}}, {1, 10, 3}), (Shape{1, 21, 4}));
        // Keras same: L*s
        QCOMPARE(one_layer("Conv1DTranspose", {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}}, {1, 10, 3}),
                 (Shape{1, 20, 4}));
        // Keras same with output_padding 1: (10-1)*2 + 3 - 2*1 + 1 = 20
        QCOMPARE(one_layer("Conv1DTranspose",
                           {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"padding", "same"}, {"output_padding", 1}},
                           {1, 10, 3}),
                 (Shape{1, 20, 4}));
        // PyTorch dilation 2, k 3, stride 1: (10-1) + 2*2 + 1 = 14; params C_in * C_out/g * k + C_out = 4*2*3 + 4
        int64_t count = 0;
        QCOMPARE(one_layer("Conv1DTranspose", {{"filters", 4}, {"kernel_size", 3}, {"dilation_rate", 2}, {"groups", 2}, {"padding", 0}},
                           {1, 4, 10}, DataFormat::ChannelsFirst, &count),
                 (Shape{1, 4, 14}));
        QCOMPARE(count, int64_t(4 * 2 * 3 + 4));
    }

    void depthwise_and_separable() {
        int64_t count = 0;
        // depth_multiplier 2 on 4 channels: 8 outputs, 3*8 + 8 weights
        QCOMPARE(one_layer("DepthwiseConv1D", {{"kernel_size", 3}, {"depth_multiplier", 2}}, {2, 20, 4}, DataFormat::ChannelsLast, &count),
                 (Shape{2, 18, 8}));
        QCOMPARE(count, int64_t(32));
        // separable: 3*4 (depthwise) + 4*8 (pointwise) + 8 (bias)
        QCOMPARE(one_layer("SeparableConv1D", {{"filters", 8}, {"kernel_size", 3}, {"padding", "same"}}, {2, 20, 4}, DataFormat::ChannelsLast, &count),
                 (Shape{2, 20, 8}));
        QCOMPARE(count, int64_t(52));
    }

    void pooling() {
        // Keras valid: floor((7 - 2) / 2) + 1 = 3; same: ceil(7 / 2) = 4
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 2}}, {1, 7, 3}), (Shape{1, 3, 3}));
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 2}, {"padding", "same"}}, {1, 7, 3}), (Shape{1, 4, 3}));
        // strides default to pool_size: floor((10 - 3) / 3) + 1 = 3
        QCOMPARE(one_layer("AveragePooling1D", {{"pool_size", 3}}, {1, 10, 1}), (Shape{1, 3, 1}));
        // PyTorch k3 s2 on 10: floor mode floor(7/2)+1 = 4; ceil mode ceil(7/2)+1 = 5
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"strides", 2}, {"padding", 0}}, {1, 1, 10}, DataFormat::ChannelsFirst),
                 (Shape{1, 1, 4}));
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"strides", 2}, {"padding", 0}, {"ceil_mode", true}}, {1, 1, 10},
                           DataFormat::ChannelsFirst),
                 (Shape{1, 1, 5}));
        // ceil_mode's last window must start inside input or left padding: L 5, k 2, s 2, p 1:
        // ceil((5 + 2 - 2) / 2) + 1 = 4, but (4 - 1)*2 = 6 >= 5 + 1, so 3.
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 2}, {"strides", 2}, {"padding", 1}, {"ceil_mode", true}}, {1, 1, 5},
                           DataFormat::ChannelsFirst),
                 (Shape{1, 1, 3}));
        // ceil_mode with padding 0 ('valid'): ceil((101 - 2) / 2) + 1 = 51, where floor mode gives 50
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 2}, {"ceil_mode", true}}, {1, 1, 101}, DataFormat::ChannelsFirst),
                 (Shape{1, 1, 51}));
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 2}}, {1, 1, 101}, DataFormat::ChannelsFirst), (Shape{1, 1, 50}));
        // MaxPool1d dilation 2, k 3: floor((20 - 4 - 1) / 1) + 1 = 16
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"strides", 1}, {"dilation_rate", 2}}, {1, 20, 2}), (Shape{1, 16, 2}));
        // PyTorch's pooling_output_shape divides rounding towards -inf: with ceil_mode a window that
        // starts on the only step counts. L 1, k 3, s 3: floor((1 - 3 + 2) / 3) + 1 = 1; floor mode: 0.
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"ceil_mode", true}}, {3, 4, 1}, DataFormat::ChannelsFirst),
                 (Shape{3, 4, 1}));
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}}, {3, 4, 1}, DataFormat::ChannelsFirst), Shape{});
        // L 4, k 5, s 2, ceil: floor((4 - 5 + 1) / 2) + 1 = 1; L 3: floor(-1 / 2) + 1 = 0, refused.
        QCOMPARE(one_layer("AveragePooling1D", {{"pool_size", 5}, {"strides", 2}, {"ceil_mode", true}}, {1, 2, 4},
                           DataFormat::ChannelsFirst),
                 (Shape{1, 2, 1}));
        QCOMPARE(one_layer("AveragePooling1D", {{"pool_size", 5}, {"strides", 2}, {"ceil_mode", true}}, {1, 2, 3},
                           DataFormat::ChannelsFirst),
                 Shape{});
        // PyTorch allows padding up to pool_size / 2, dilation not counted: k 3, d 2 allows 1, not 2.
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"dilation_rate", 2}, {"padding", 1}}, {1, 2, 20},
                           DataFormat::ChannelsFirst),
                 (Shape{1, 2, 6}));  // floor((20 + 2 - 5) / 3) + 1
        QCOMPARE(one_layer("MaxPooling1D", {{"pool_size", 3}, {"dilation_rate", 2}, {"padding", 2}}, {1, 2, 20},
                           DataFormat::ChannelsFirst),
                 Shape{});
        QCOMPARE(one_layer("GlobalAveragePooling1D", json::object(), {4, 50, 8}), (Shape{4, 8}));
        QCOMPARE(one_layer("GlobalMaxPooling1D", json::object(), {4, 8, 50}, DataFormat::ChannelsFirst), (Shape{4, 8}));
        QCOMPARE(one_layer("GlobalMaxPooling1D", {{"keepdims", true}}, {4, 8, 50}, DataFormat::ChannelsFirst), (Shape{4, 8, 1}));
    }

    void length_layers() {
        QCOMPARE(one_layer("ZeroPadding1D", {{"padding", {1, 2}}}, {1, 10, 3}), (Shape{1, 13, 3}));
        QCOMPARE(one_layer("ZeroPadding1D", {{"padding", 2}}, {1, 3, 10}, DataFormat::ChannelsFirst), (Shape{1, 3, 14}));
        QCOMPARE(one_layer("Cropping1D", {{"cropping", 2}}, {1, 10, 3}), (Shape{1, 6, 3}));
        QCOMPARE(one_layer("Cropping1D", {{"cropping", 5}}, {1, 10, 3}), Shape{});  // nothing left
        QCOMPARE(one_layer("UpSampling1D", {{"size", 3}}, {1, 10, 3}), (Shape{1, 30, 3}));
    }

    void reshaping_layers() {
        QCOMPARE(one_layer("Permute", {{"dims", {2, 1}}}, {32, 5, 100}), (Shape{32, 100, 5}));
        QCOMPARE(one_layer("Flatten", json::object(), {32, 98, 32}), (Shape{32, 3136}));
        QCOMPARE(one_layer("Reshape", {{"target_shape", {-1, 8}}}, {32, 100, 4}), (Shape{32, 50, 8}));
        QCOMPARE(one_layer("Reshape", {{"target_shape", {7, -1}}}, {32, 100, 4}), Shape{});  // 400 / 7
        QCOMPARE(one_layer("Permute", {{"dims", {1, 1}}}, {32, 5, 100}), Shape{});
    }

    void dense_and_normalisation() {
        int64_t count = 0;
        QCOMPARE(one_layer("Dense", {{"units", 10}}, {32, 64}, DataFormat::ChannelsLast, &count), (Shape{32, 10}));
        QCOMPARE(count, int64_t(650));
        QCOMPARE(one_layer("Dense", {{"units", 10}, {"in_features", 63}}, {32, 64}), Shape{});
        // On (batch, length, channels) Keras applies it per step.
        QCOMPARE(one_layer("Dense", {{"units", 4}}, {2, 7, 3}), (Shape{2, 7, 4}));
        QCOMPARE(one_layer("BatchNormalization", json::object(), {2, 7, 16}, DataFormat::ChannelsLast, &count), (Shape{2, 7, 16}));
        QCOMPARE(count, int64_t(64));
        QCOMPARE(one_layer("BatchNormalization", {{"num_features", 7}}, {2, 16, 7}, DataFormat::ChannelsFirst), Shape{});
        // channels_first is BatchNorm1d: 2 or 3 axes only; Keras normalises the last axis of any rank.
        QCOMPARE(one_layer("BatchNormalization", json::object(), {2, 3, 8, 2}, DataFormat::ChannelsFirst), Shape{});
        QCOMPARE(one_layer("BatchNormalization", json::object(), {2, 3, 8, 2}), (Shape{2, 3, 8, 2}));
        QCOMPARE(one_layer("LayerNormalization", json::object(), {2, 7, 16}, DataFormat::ChannelsLast, &count), (Shape{2, 7, 16}));
        QCOMPARE(count, int64_t(32));
        QCOMPARE(one_layer("LayerNormalization", {{"normalized_shape", 16}}, {2, 16, 7}, DataFormat::ChannelsFirst), Shape{});
        for (const char* t : {"Masking", "Dropout", "Activation"})
            QCOMPARE(one_layer(t, json::object(), {2, 7, 3}), (Shape{2, 7, 3}));
    }

    void receptive_field_growth() {
        Stack s;
        s.layers = {{"Conv1D", "a", true, {{"filters", 4}, {"kernel_size", 3}}},
                    {"Conv1D", "b", true, {{"filters", 4}, {"kernel_size", 3}, {"dilation_rate", 2}}},
                    {"MaxPooling1D", "c", true, {{"pool_size", 2}}},
                    {"Conv1D", "d", true, {{"filters", 4}, {"kernel_size", 3}}},
                    {"GlobalAveragePooling1D", "e", true, json::object()}};
        Trace t = trace_stack(s, TraceInput::uniform({1, 100, 1}), {false, true});
        QVERIFY(t.ok());
        // rf_out = rf_in + (extent - 1) * jump: 3; 3 + 4 = 7; 7 + 1 = 8 (jump 2); 8 + 2*2 = 12; whole.
        QCOMPARE(t.steps[1].receptive_field.steps, int64_t(3));
        QCOMPARE(t.steps[2].receptive_field.steps, int64_t(7));
        QCOMPARE(t.steps[3].receptive_field.steps, int64_t(8));
        QCOMPARE(t.steps[4].receptive_field.steps, int64_t(12));
        QVERIFY(t.steps[5].receptive_field.whole);
        QCOMPARE(QString::fromStdString(t.steps[1].length_rule), QString("L - 2"));
        QCOMPARE(QString::fromStdString(t.steps[3].length_rule), QString("floor((L - 2) / 2) + 1"));
        // 12 -> 10 -> 6 -> 3 -> 1 step; 11 -> 9 -> 5 -> 2 -> none. The shortest input equals the receptive field.
        QCOMPARE(t.min_input_length.value_or(-1), int64_t(12));
    }

    void disabled_layers_are_skipped() {
        Stack s;
        s.layers = {{"Conv1D", "a", false, {{"filters", 4}, {"kernel_size", 50}}},
                    {"Conv1D", "b", true, {{"filters", 4}, {"kernel_size", 3}}}};
        Trace t = trace_stack(s, TraceInput::uniform({1, 10, 1}), {false, false});
        QVERIFY(t.ok());
        QCOMPARE(t.steps[1].out->shape, (Shape{1, 10, 1}));
        QCOMPARE(t.steps[2].out->shape, (Shape{1, 8, 4}));
    }
};

QTEST_GUILESS_MAIN(TestLayerShapes)
#include "test_layer_shapes.moc"
