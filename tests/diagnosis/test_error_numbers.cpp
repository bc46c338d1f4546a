// Issue 9, "Every shape error carries its numbers": one failing stack for every place the
// engine builds a shape error, each checked for an `expected` and an `actual` that name the
// numbers at fault (the report, `trace --json` and the GUI show both fields as they are).
#include <QtTest>

#include <string>
#include <vector>

#include "common/limits.hpp"
#include "diagnosis/shape_trace.hpp"
#include "diagnosis/trace_report.hpp"
#include "stack_test_support.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

struct ErrorCase {
    const char* name;
    Stack stack;
    TraceInput input;
    size_t failing_step;                     // 0 = the Input step, i + 1 = layer i
    MistakeKind kind;
    std::vector<std::string> expected_has;   // each must occur in ShapeError::expected
    std::vector<std::string> actual_has;     // each must occur in ShapeError::actual
};

// A stack the editor would refuse (validate_stack), for the shape rules that guard against
// such stacks arriving from an imported file anyway.
Stack unvalidated(DataFormat f, std::vector<LayerSpec> layers) {
    Stack s;
    s.data_format = f;
    s.layers = std::move(layers);
    return s;
}

TraceInput ragged_input() {
    TraceInput in;
    in.shape = Shape{4, 120, 3};
    in.lengths = {80, 120, 95, 100};
    in.length_axis = 1;
    return in;
}

const auto CL = DataFormat::ChannelsLast;
const auto CF = DataFormat::ChannelsFirst;
const std::string kAxisLimit = std::to_string(limits::kMaxDimension);

const std::vector<ErrorCase>& cases() {
    static const std::vector<ErrorCase> all = {
        // --- the Input step ---
        {"input axis past the limit", make_stack(CL, std::nullopt, {{"GlobalAveragePooling1D", "gap", true, json::object()}}),
         TraceInput::uniform({1, limits::kMaxDimension + 1, 2}), 0, MistakeKind::SizeOverflow,
         {kAxisLimit}, {std::to_string(limits::kMaxDimension + 1)}},
        {"ragged batch", make_stack(CL, std::nullopt, {{"GlobalAveragePooling1D", "gap", true, json::object()}}),
         ragged_input(), 0, MistakeKind::RaggedBatch, {"4 sequences"}, {"80", "120"}},
        {"declared rank", make_stack(CL, Shape{kAnyDim, 100, 5}, {{"GlobalAveragePooling1D", "gap", true, json::object()}}),
         TraceInput::uniform({32, 100}), 0, MistakeKind::RankMismatch, {"3 axes"}, {"2 axes"}},
        {"declared channels", make_stack(CL, Shape{kAnyDim, 100, 5}, {{"GlobalAveragePooling1D", "gap", true, json::object()}}),
         TraceInput::uniform({4, 100, 3}), 0, MistakeKind::ChannelMismatch, {"5 channels"}, {"3 channels"}},
        {"declared transposed", make_stack(CL, Shape{kAnyDim, 100, 5}, {{"GlobalAveragePooling1D", "gap", true, json::object()}}),
         TraceInput::uniform({4, 5, 100}), 0, MistakeKind::TransposedInput, {"5 channels"}, {"100 channels"}},
        // --- convolutions ---
        {"conv after flatten (rank)", make_stack(CL, std::nullopt, {{"Flatten", "f", true, json::object()},
                                                                  {"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 3}}}}),
         TraceInput::uniform({2, 10, 3}), 2, MistakeKind::RankMismatch, {"3 axes"}, {"2 axes", "30"}},
        {"conv in_channels", make_stack(CF, std::nullopt, {{"Conv1D", "c", true, {{"filters", 8}, {"kernel_size", 3}, {"in_channels", 4}}}}),
         TraceInput::uniform({2, 3, 50}), 1, MistakeKind::ChannelMismatch, {"4 channels"}, {"3 channels"}},
        {"conv groups vs input channels (issue 9)",
         make_stack(CF, std::nullopt, {{"Conv1D", "c", true, {{"filters", 12}, {"kernel_size", 3}, {"groups", 4}}}}),
         TraceInput::uniform({2, 6, 50}), 1, MistakeKind::InvalidParameters, {"a multiple of 4"}, {"6"}},
        {"conv groups vs filters",
         unvalidated(CL, {{"Conv1D", "c", true, {{"filters", 6}, {"kernel_size", 3}, {"groups", 4}}}}),
         TraceInput::uniform({2, 50, 8}), 1, MistakeKind::InvalidParameters, {"a multiple of 4"}, {"6"}},
        {"pytorch same with stride",
         make_stack(CF, std::nullopt, {{"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 4}, {"strides", 2}, {"padding", "same"}}}}),
         TraceInput::uniform({2, 3, 10}), 1, MistakeKind::InvalidParameters, {"1"}, {"2"}},
        {"keras strides with dilation",
         make_stack(CL, std::nullopt, {{"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 3}, {"strides", 2}, {"dilation_rate", 3}}}}),
         TraceInput::uniform({2, 50, 3}), 1, MistakeKind::InvalidParameters, {"1"}, {"2", "3"}},
        {"keras causal outside Conv1D",
         make_stack(CL, std::nullopt, {{"SeparableConv1D", "s", true, {{"filters", 4}, {"kernel_size", 3}, {"padding", "causal"}}}}),
         TraceInput::uniform({2, 50, 3}), 1, MistakeKind::InvalidParameters, {"valid"}, {"causal"}},
        {"conv longer than the sequence", make_stack(CL, std::nullopt, {{"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 5}}}}),
         TraceInput::uniform({1, 3, 2}), 1, MistakeKind::SequenceTooShort, {"5 steps"}, {"3 steps"}},
        {"depthwise output channels past the limit",
         make_stack(CL, std::nullopt, {{"DepthwiseConv1D", "d", true, {{"kernel_size", 1}, {"depth_multiplier", 100000}}}}),
         TraceInput::uniform({1, 4, 100000000}), 1, MistakeKind::SizeOverflow, {kAxisLimit}, {"10000000000000"}},
        // --- transposed convolution ---
        {"transpose in_channels", make_stack(CF, std::nullopt, {{"Conv1DTranspose", "t", true, {{"filters", 4}, {"kernel_size", 3}, {"in_channels", 5}}}}),
         TraceInput::uniform({2, 3, 20}), 1, MistakeKind::ChannelMismatch, {"5 channels"}, {"3 channels"}},
        {"transpose groups", make_stack(CF, std::nullopt, {{"Conv1DTranspose", "t", true, {{"filters", 4}, {"kernel_size", 3}, {"groups", 2}}}}),
         TraceInput::uniform({2, 3, 20}), 1, MistakeKind::InvalidParameters, {"a multiple of 2"}, {"3"}},
        {"transpose padding eats the output",
         make_stack(CF, std::nullopt, {{"Conv1DTranspose", "t", true, {{"filters", 4}, {"kernel_size", 3}, {"padding", 5}}}}),
         TraceInput::uniform({2, 3, 1}), 1, MistakeKind::SequenceTooShort, {"1 step"}, {"-7"}},
        // --- pooling ---
        {"pool longer than the sequence", make_stack(CF, std::nullopt, {{"MaxPooling1D", "p", true, {{"pool_size", 4}}}}),
         TraceInput::uniform({16, 1, 3}), 1, MistakeKind::SequenceTooShort, {"4 steps"}, {"3 steps"}},
        {"pool padding over half the window",
         make_stack(CF, std::nullopt, {{"MaxPooling1D", "p", true, {{"pool_size", 3}, {"padding", 2}}}}),
         TraceInput::uniform({2, 3, 20}), 1, MistakeKind::InvalidParameters, {"1 step", "3"}, {"2 steps"}},
        // --- normalisation ---
        {"batchnorm num_features on a sequence",
         make_stack(CF, std::nullopt, {{"BatchNormalization", "bn", true, {{"num_features", 8}}}}),
         TraceInput::uniform({2, 3, 20}), 1, MistakeKind::ChannelMismatch, {"8 channels"}, {"3 channels"}},
        {"batchnorm num_features on features",
         make_stack(CL, std::nullopt, {{"GlobalAveragePooling1D", "gap", true, json::object()},
                                       {"BatchNormalization", "bn", true, {{"num_features", 8}}}}),
         TraceInput::uniform({2, 20, 3}), 2, MistakeKind::FeatureMismatch, {"8 features"}, {"3 features"}},
        {"layernorm normalized_shape",
         make_stack(CL, std::nullopt, {{"LayerNormalization", "ln", true, {{"normalized_shape", 7}}}}),
         TraceInput::uniform({2, 10, 3}), 1, MistakeKind::FeatureMismatch, {"7"}, {"3"}},
        // --- length and shape layers ---
        {"cropping more than the sequence", make_stack(CL, std::nullopt, {{"Cropping1D", "c", true, {{"cropping", {3, 3}}}}}),
         TraceInput::uniform({2, 5, 3}), 1, MistakeKind::SequenceTooShort, {"6 steps"}, {"5 steps"}},
        {"upsampling past the axis limit",
         make_stack(CL, std::nullopt, {{"UpSampling1D", "u", true, {{"size", 1000000}}}}),
         TraceInput::uniform({1, 2000000, 1}), 1, MistakeKind::SizeOverflow, {kAxisLimit}, {"2000000000000"}},
        {"permute after flatten", make_stack(CL, std::nullopt, {{"Flatten", "f", true, json::object()},
                                                              {"Permute", "p", true, {{"dims", {2, 1}}}}}),
         TraceInput::uniform({2, 10, 3}), 2, MistakeKind::InvalidParameters, {"1..1"}, {"2", "1"}},
        {"reshape with a remainder", make_stack(CL, std::nullopt, {{"Reshape", "r", true, {{"target_shape", {50, -1}}}}}),
         TraceInput::uniform({2, 98, 4}), 1, MistakeKind::NonIntegerReshape, {"50"}, {"392"}},
        // --- dense ---
        {"dense in_features", make_stack(CL, std::nullopt, {{"GlobalAveragePooling1D", "gap", true, json::object()},
                                                          {"Dense", "fc", true, {{"units", 2}, {"in_features", 16}}}}),
         TraceInput::uniform({4, 50, 8}), 2, MistakeKind::FeatureMismatch, {"16 features"}, {"8"}},
        {"dense on the length axis", make_stack(CF, std::nullopt, {{"Dense", "fc", true, {{"units", 10}, {"in_features", 3136}}}}),
         TraceInput::uniform({8, 32, 98}), 1, MistakeKind::DenseWrongAxis, {"3136 features"}, {"98"}},
    };
    return all;
}

}  // namespace

class TestErrorNumbers : public QObject {
    Q_OBJECT
private slots:
    void every_error_names_expected_and_actual_data() {
        QTest::addColumn<int>("row");
        for (size_t i = 0; i < cases().size(); ++i) QTest::newRow(cases()[i].name) << static_cast<int>(i);
    }
    void every_error_names_expected_and_actual() {
        QFETCH(int, row);
        const ErrorCase& c = cases()[static_cast<size_t>(row)];
        const Trace t = trace_stack(c.stack, c.input, {false, false});
        QVERIFY2(t.error(), "the stack passes");
        QCOMPARE(*t.failing_step, c.failing_step);
        const ShapeError& e = *t.error();
        QCOMPARE(QString::fromStdString(std::string(to_string(e.kind))), QString::fromStdString(std::string(to_string(c.kind))));
        const QString expected = QString::fromStdString(e.expected), actual = QString::fromStdString(e.actual);
        QVERIFY2(!expected.isEmpty(), "expected is empty");
        QVERIFY2(!actual.isEmpty(), "actual is empty");
        for (const auto& s : c.expected_has)
            QVERIFY2(expected.contains(QString::fromStdString(s)), qPrintable("expected \"" + expected + "\" lacks " + QString::fromStdString(s)));
        for (const auto& s : c.actual_has)
            QVERIFY2(actual.contains(QString::fromStdString(s)), qPrintable("actual \"" + actual + "\" lacks " + QString::fromStdString(s)));
    }

    // The report and `trace --json` carry both fields for the stack.
    void report_and_json_carry_the_numbers() {
        const Stack s = make_stack(CF, std::nullopt, {{"Conv1D", "c", true, {{"filters", 12}, {"kernel_size", 3}, {"groups", 4}}}});
        const Trace t = trace_stack(s, TraceInput::uniform({2, 6, 50}));
        const auto j = trace_to_json(t);
        const QString dump = QString::fromStdString(j.dump());
        QVERIFY2(dump.contains("\"expected\":\"input channels a multiple of 4"), qPrintable(dump));
        QVERIFY2(dump.contains("\"actual\":\"6 input channels\""), qPrintable(dump));
        const QString text = QString::fromStdString(format_trace_table(t));
        QVERIFY2(text.contains("expected: input channels a multiple of 4") && text.contains("found:    6 input channels"), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestErrorNumbers)
#include "test_error_numbers.moc"
