// Shape and parameter arithmetic past 64 bits or past ConvScope's limits is a
// shape error naming the layer (issue 10), never a wrapped number with exit 0.
// Every stack here is generated in code from sizes that overflowed on main.
#include <QtTest>

#include "common/limits.hpp"
#include "diagnosis/shape_trace.hpp"
#include "diagnosis/trace_input.hpp"
#include "layers/layer_support.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
#define CHECK_CONTAINS(hay, needle) \
    QVERIFY2(contains((hay), (needle)), ("expected \"" + std::string(needle) + "\" in: " + std::string(hay)).c_str())

Stack one_layer_stack(const std::string& type, json params, DataFormat f = DataFormat::ChannelsLast) {
    Stack s;
    s.data_format = f;
    s.layers.push_back({type, "big", true, std::move(params)});
    if (auto st = validate_stack(s); !st) qFatal("invalid test stack: %s", st.error().message.c_str());
    return s;
}

// The trace must fail at the one layer with a size error that names it and fills expected/actual.
void expect_overflow(const Stack& s, const Shape& in, const std::string& what) {
    const Trace t = trace_stack(s, TraceInput::uniform(in));
    QVERIFY2(!t.ok(), ("the trace passed: " + what).c_str());
    QCOMPARE(*t.failing_step, size_t{1});
    const ShapeError& e = *t.error();
    QCOMPARE(e.kind, MistakeKind::SizeOverflow);
    CHECK_CONTAINS(e.explanation, "\"big\"");
    CHECK_CONTAINS(e.explanation, what);
    QVERIFY(contains(e.expected, "at most "));
    QVERIFY(!e.actual.empty());
    QVERIFY(!t.steps[1].out.has_value());
    QCOMPARE(t.total_params, int64_t{0});
}

}  // namespace

class TestLayerOverflow : public QObject {
    Q_OBJECT
private slots:
    void checked_int_reports_overflow() {
        const CheckedInt a = CheckedInt(1'000'000'000'000) * 1'000'000'000'000;
        QVERIFY(!a.ok());
        QCOMPARE(QString::fromStdString(a.text()), QString("about 1e+24"));
        QVERIFY((CheckedInt(INT64_MAX) + 1).ok() == false);
        QVERIFY((CheckedInt(INT64_MIN) - 1).ok() == false);
        const CheckedInt b = CheckedInt(3) * 4 + 5;
        QVERIFY(b.within(17, 17));
        // Once overflowed, stays overflowed even if later steps would "bring it back".
        QVERIFY(!(a * 0).ok());
    }

    void flatten_of_huge_axes() {
        // (1, 1e12, 1e12) flattened gave (1, 2003764205206896640) on main.
        expect_overflow(one_layer_stack("Flatten", json::object()), Shape{1, 1'000'000'000'000, 1'000'000'000'000},
                        "flattened features");
        const Trace t = trace_stack(one_layer_stack("Flatten", json::object()), TraceInput::uniform(Shape{1, 1'000'000'000'000, 1'000'000'000'000}));
        CHECK_CONTAINS(t.error()->actual, "about 1e+24");
        CHECK_CONTAINS(t.error()->expected, std::to_string(limits::kMaxDimension));
    }

    void flatten_within_64_bits_but_past_the_axis_limit() {
        // 3e6 x 3e6 = 9e12 fits int64 but no axis may hold it.
        expect_overflow(one_layer_stack("Flatten", json::object()), Shape{1, 3'000'000, 3'000'000}, "flattened features");
    }

    void conv_parameter_count() {
        // k * C_in * filters = 1e7 * 240000 * 1e7 = 2.4e19 parameters, printed as 5553255926290448392 on main.
        expect_overflow(one_layer_stack("Conv1D", {{"filters", 10'000'000}, {"kernel_size", 10'000'000}, {"padding", "same"}}),
                        Shape{1, 20, 240'000}, "parameter count");
    }

    void dense_parameter_count() {
        expect_overflow(one_layer_stack("Dense", {{"units", 100'000'000}}), Shape{1, 1'000'000'000'000}, "parameter count");
    }

    void separable_and_depthwise_counts() {
        expect_overflow(one_layer_stack("SeparableConv1D", {{"filters", 10'000'000}, {"kernel_size", 3},
                                                            {"depth_multiplier", 100'000}, {"padding", "same"}}),
                        Shape{1, 10, 1'000'000'000}, "parameter count");
        // C_out = C_in * depth_multiplier = 1e12 * 1e5, past 2^40.
        expect_overflow(one_layer_stack("DepthwiseConv1D", {{"kernel_size", 1}, {"depth_multiplier", 100'000}}),
                        Shape{1, 10, 1'000'000'000'000}, "output channels");
    }

    void padding_and_upsampling_lengths() {
        expect_overflow(one_layer_stack("ZeroPadding1D", {{"padding", json::array({10'000'000, 10'000'000})}}),
                        Shape{1, limits::kMaxDimension - 5, 1}, "padded length");
        expect_overflow(one_layer_stack("UpSampling1D", {{"size", 1'000'000}}), Shape{1, 1'000'000'000'000, 1},
                        "upsampled length");
    }

    void transposed_conv_length() {
        // (L - 1) * s + ... = 1e12 * 1e7 passes 2^63.
        expect_overflow(one_layer_stack("Conv1DTranspose", {{"filters", 1}, {"kernel_size", 3}, {"strides", 10'000'000}}),
                        Shape{1, 1'000'000'000'000, 1}, "output length");
    }

    void reshape_element_counts() {
        expect_overflow(one_layer_stack("Reshape", {{"target_shape", json::array({1'000'000'000'000, 1'000'000'000'000, -1})}}),
                        Shape{1, 100, 5}, "target_shape");
    }

    void stack_total_parameters() {
        // Each Conv1D holds 1e4 * 1e7 * 1e7 + 1e7 ~ 1e18 parameters (under 2^60); two of them do not fit.
        Stack s;
        for (int i = 0; i < 2; ++i)
            s.layers.push_back({"Conv1D", "c" + std::to_string(i), true,
                                {{"filters", 10'000'000}, {"kernel_size", 10'000}, {"padding", "same"}}});
        QVERIFY(validate_stack(s).ok());
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{1, 10, 10'000'000}));
        QVERIFY(!t.ok());
        QCOMPARE(*t.failing_step, size_t{2});
        QCOMPARE(t.error()->kind, MistakeKind::SizeOverflow);
        CHECK_CONTAINS(t.error()->explanation, "Conv1D \"c1\"");
        CHECK_CONTAINS(t.error()->explanation, "the stack's parameter count");
    }

    void input_beyond_the_axis_limit() {
        // input_shape-sized data of 1e18 steps: refused at the input, before any layer computes with it.
        const Trace t = trace_stack(one_layer_stack("ZeroPadding1D", {{"padding", 1}}),
                                    TraceInput::uniform(Shape{1, 1'000'000'000'000'000'000, 1}));
        QVERIFY(!t.ok());
        QCOMPARE(*t.failing_step, size_t{0});
        QCOMPARE(t.error()->kind, MistakeKind::SizeOverflow);
        QCOMPARE(t.error()->axis, int64_t{1});
        CHECK_CONTAINS(t.error()->expected, std::to_string(limits::kMaxDimension));
    }

    void receptive_field_does_not_wrap() {
        // Strides multiply the jump: 1e7^3 steps is beyond any sequence, reported as the whole of it.
        Stack s;
        for (int i = 0; i < 4; ++i)
            s.layers.push_back({"Conv1D", "c" + std::to_string(i), true,
                                {{"filters", 1}, {"kernel_size", 3}, {"strides", 10'000'000}, {"padding", "same"}}});
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{1, 1'000'000'000'000, 1}));
        QVERIFY2(t.ok(), t.ok() ? "" : t.error()->explanation.c_str());
        for (const auto& step : t.steps) QVERIFY(step.receptive_field.whole || step.receptive_field.steps >= 1);
        QVERIFY(t.steps.back().receptive_field.whole);
    }

    void shortest_input_search_stays_bounded() {
        // A reach longer than any allowed sequence: no shortest length, and no overflow on the way.
        const Trace t = trace_stack(one_layer_stack("Conv1D", {{"filters", 1}, {"kernel_size", 10'000'000},
                                                               {"dilation_rate", 10'000'000}}),
                                    TraceInput::uniform(Shape{1, 100, 1}));
        QVERIFY(!t.ok());
        QCOMPARE(t.error()->kind, MistakeKind::SequenceTooShort);
        QVERIFY(!t.min_input_length.has_value());
    }

    void parameter_messages_state_the_limit() {
        Stack s;
        s.layers.push_back({"Dense", "d", true, {{"units", 1'000'000'000}}});
        auto st = validate_stack(s);
        QVERIFY(!st.ok());
        CHECK_CONTAINS(st.error().message, "field \"units\"");
        CHECK_CONTAINS(st.error().message, "from 1 to " + std::to_string(limits::kMaxUnits));
        CHECK_CONTAINS(st.error().message, "got 1000000000");
        s.layers[0] = {"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 0}}};
        st = validate_stack(s);
        QVERIFY(!st.ok());
        CHECK_CONTAINS(st.error().message, "from 1 to " + std::to_string(limits::kMaxKernelSize));
        s.layers[0] = {"ZeroPadding1D", "z", true, {{"padding", json::array({1, 1'000'000'000'000'000})}}};
        st = validate_stack(s);
        QVERIFY(!st.ok());
        CHECK_CONTAINS(st.error().message, "from 0 to " + std::to_string(limits::kMaxPadding));
    }

    void declared_input_shape_limit() {
        Stack s;
        s.input_shape = Shape{kAnyDim, 1'000'000'000'000'000'000, 5};
        auto st = validate_stack(s);
        QVERIFY(!st.ok());
        CHECK_CONTAINS(st.error().message, "input_shape");
        CHECK_CONTAINS(st.error().message, std::to_string(limits::kMaxDimension));
    }

    void shape_list_states_the_limit() {
        auto r = parse_shape_list("32,100,9223372036854775807");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "shape entry 3");
        CHECK_CONTAINS(r.error().message, "from 1 to " + std::to_string(limits::kMaxDimension));
        r = parse_shape_list("32,100,99999999999999999999999");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "out of range");
        r = parse_shape_list("32,abc,5");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "not an integer");
        QVERIFY(parse_shape_list("1," + std::to_string(limits::kMaxDimension) + ",1").ok());
    }

    void element_count_throws_past_64_bits() {
        const Shape huge{1'000'000'000'000, 1'000'000'000'000};
        QVERIFY(!huge.checked_element_count().ok());
        QVERIFY_THROWS_EXCEPTION(std::overflow_error, (void)huge.element_count());
        QCOMPARE(Shape({kAnyDim, 4}).element_count(), kAnyDim);
        QCOMPARE(Shape({3, 4}).element_count(), int64_t{12});
    }
};

QTEST_APPLESS_MAIN(TestLayerOverflow)
#include "test_layer_overflow.moc"
