// The classic mistakes, each recognised by name with its failing axis and role,
// and every offered fix applied and re-traced.
#include <QtTest>

#include <algorithm>

#include "diagnosis/input_axes.hpp"
#include "diagnosis/shape_trace.hpp"
#include "stack_test_support.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

LayerSpec layer(std::string type, std::string name, json params) {
    return LayerSpec{std::move(type), std::move(name), true, std::move(params)};
}

const Fix* find_fix(const ShapeError& e, const std::string& id) {
    for (const auto& f : e.fixes)
        if (f.id == id) return &f;
    return nullptr;
}

QString fix_ids(const ShapeError& e) {
    QStringList ids;
    for (const auto& f : e.fixes) ids << QString::fromStdString(f.id);
    return ids.join(", ");
}

// Every fix must pass when its stack is traced on the input it names, and unless the data
// itself had to change (ragged batches), that input is the data as it is.
void verify_all_fixes(const Trace& t, const TraceInput& original) {
    const ShapeError* e = t.error();
    QVERIFY(e);
    QVERIFY2(!e->fixes.empty(), "no fix offered");
    for (const auto& f : e->fixes) {
        QVERIFY2(!f.description.empty(), f.id.c_str());
        QVERIFY2(validate_stack(f.stack).ok(), f.id.c_str());
        const Trace again = trace_stack(f.stack, f.traced_on, {false, false});
        QVERIFY2(again.ok(), (f.id + " does not pass").c_str());
        if (!original.ragged()) QVERIFY2(f.traced_on.shape == original.shape, (f.id + " changed the input").c_str());
    }
}

const Stack keras_classifier = make_stack(
    DataFormat::ChannelsLast, Shape{kAnyDim, 100, 5},
    {{"Conv1D", "conv1", true, {{"filters", 16}, {"kernel_size", 5}, {"padding", "same"}}},
     {"MaxPooling1D", "pool1", true, {{"pool_size", 2}}},
     {"GlobalAveragePooling1D", "gap", true, json::object()},
     {"Dense", "out", true, {{"units", 3}}}});

}  // namespace

class TestDiagnosis : public QObject {
    Q_OBJECT
private slots:
    // Issue 9: one rule says which stored axis the stack reads as length, through leading
    // Permute layers; the trace labels every axis as the stack reads it.
    void input_axes_follow_leading_permutes() {
        const Stack plain = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                       {layer("Conv1D", "c", {{"filters", 4}, {"kernel_size", 3}})});
        QCOMPARE(input_axes(plain)->length, int64_t(1));
        QVERIFY(!reads_input_swapped(plain));
        const Stack swapped = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                         {layer("Permute", "p", {{"dims", {2, 1}}}),
                                          layer("Conv1D", "c", {{"filters", 4}, {"kernel_size", 3}})});
        QCOMPARE(input_axes(swapped)->length, int64_t(2));
        QCOMPARE(input_axes(swapped)->channels, int64_t(1));
        QVERIFY(reads_input_swapped(swapped));
        // Two swaps cancel; a disabled Permute does not count.
        Stack twice = swapped;
        twice.layers.insert(twice.layers.begin(), layer("Permute", "q", {{"dims", {2, 1}}}));
        QVERIFY(!reads_input_swapped(twice));
        twice.layers[0].enabled = false;
        QVERIFY(reads_input_swapped(twice));
        const Stack first = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                       {layer("Permute", "p", {{"dims", {2, 1}}}),
                                        layer("Conv1D", "c", {{"filters", 4}, {"kernel_size", 3}})});
        QCOMPARE(input_axes(first)->length, int64_t(1));
    }

    // The transposed sample after its fix: (32, 5, 100) through Permute((2, 1)) into a
    // channels_last Conv1D. The input's axis 2 is the length, and the Permute's output
    // (32, 100, 5) is length 100, channels 5: how conv1 reads it.
    void roles_after_a_permute_are_how_the_next_layer_reads_them() {
        const Stack s = make_stack(DataFormat::ChannelsLast, Shape{kAnyDim, 5, 100},
                                   {layer("Permute", "swap", {{"dims", {2, 1}}}),
                                    layer("Conv1D", "conv1", {{"filters", 16}, {"kernel_size", 5}, {"padding", "same"}})});
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{32, 5, 100}));
        QVERIFY(t.ok());
        const TensorType& in = *t.steps[0].out;
        QCOMPARE(in.dim(AxisRole::Length), int64_t(100));
        QCOMPARE(in.dim(AxisRole::Channels), int64_t(5));
        const TensorType& permuted = *t.steps[1].out;
        QCOMPARE(permuted.shape, (Shape{32, 100, 5}));
        QCOMPARE(permuted.dim(AxisRole::Length), int64_t(100));
        QCOMPARE(permuted.dim(AxisRole::Channels), int64_t(5));
        // The shortest input is measured on the axis the stack reads as length.
        QCOMPARE(t.min_input_length, std::optional<int64_t>(1));
    }
    void transposed_input_against_declared_shape() {
        const auto input = TraceInput::uniform({32, 5, 100});
        const Trace t = trace_stack(keras_classifier, input);
        QVERIFY(!t.ok());
        QCOMPARE(*t.failing_step, size_t(0));  // the Input step
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::TransposedInput);
        QCOMPARE(e.axis, int64_t(2));
        QCOMPARE(*e.role, AxisRole::Channels);
        QCOMPARE(QString::fromStdString(e.expected), QString("5 channels"));
        QCOMPARE(QString::fromStdString(e.actual), QString("100 channels"));
        QVERIFY(QString::fromStdString(e.explanation).contains("transposed"));
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("Input 0 of layer \"model\" is incompatible with the layer: expected shape=(None, 100, 5), "
                         "found shape=(32, 5, 100)"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("transpose-input"));
        const Fix& transpose = e.fixes.front();
        QCOMPARE(QString::fromStdString(transpose.stack.layers.front().type), QString("Permute"));
        QVERIFY(transpose.data_change && transpose.data_change->kind == DataChange::Kind::Transpose);
        QCOMPARE(transpose.data_change->new_shape, (Shape{32, 100, 5}));
        const Fix* sw = find_fix(e, "switch-data-format");
        QVERIFY2(sw, qPrintable(fix_ids(e)));
        QCOMPARE(sw->stack.data_format, DataFormat::ChannelsFirst);
        verify_all_fixes(t, input);
        // After the Permute fix, the shortest input is searched along the data's own length axis (axis 2).
        const Trace fixed = trace_stack(transpose.stack, input);
        QVERIFY(fixed.ok());
        QCOMPARE(fixed.min_input_length.value_or(-1), int64_t(2));  // pool_size 2
    }

    // The fixed transposed sample fed data that is already (batch, length, channels): its leading
    // Permute((2, 1)) is the transposition. Was: the explanation called the declared (None, 5, 100)
    // "(batch, length, channels) with 5 channels" and the fix stacked a second Permute.
    void transposed_input_behind_a_leading_permute() {
        Stack fixed = keras_classifier;
        fixed.input_shape = Shape{kAnyDim, 5, 100};
        fixed.layers.insert(fixed.layers.begin(), layer("Permute", "swap", {{"dims", {2, 1}}}));
        const auto input = TraceInput::uniform({32, 100, 5});
        const Trace t = trace_stack(fixed, input);
        QVERIFY(!t.ok());
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::TransposedInput);
        QCOMPARE(e.axis, int64_t(1));
        const QString why = QString::fromStdString(e.explanation);
        QVERIFY2(why.contains("leading Permute((2, 1)) swaps the stored axes), i.e. (batch, channels, length) with 5 "
                              "channels"),
                 qPrintable(why));
        QVERIFY2(why.contains("laid out (batch, length, channels)"), qPrintable(why));
        const Fix& transpose = e.fixes.front();
        QCOMPARE(QString::fromStdString(transpose.id), QString("transpose-input"));
        QVERIFY2(QString::fromStdString(transpose.description).contains("(32, 5, 100) (batch, channels, length)"),
                 transpose.description.c_str());
        QVERIFY2(QString::fromStdString(transpose.description).contains("remove the leading Permute((2, 1))"),
                 transpose.description.c_str());
        QCOMPARE(transpose.stack.layers.size(), keras_classifier.layers.size());
        QCOMPARE(QString::fromStdString(transpose.stack.layers.front().name), QString("conv1"));
        QCOMPARE(transpose.stack.input_shape, std::optional<Shape>(Shape{kAnyDim, 100, 5}));
        const Fix* sw = find_fix(e, "switch-data-format");
        QVERIFY2(sw, qPrintable(fix_ids(e)));
        QVERIFY2(QString::fromStdString(sw->description).contains("is read as (batch, length, channels)"),
                 sw->description.c_str());
        verify_all_fixes(t, input);
    }

    void transposed_input_in_pytorch_stack() {
        const Stack s = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 3}, {"in_channels", 5}}}});
        const auto input = TraceInput::uniform({32, 100, 5});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(*t.failing_step, size_t(1));
        QCOMPARE(e.kind, MistakeKind::TransposedInput);
        QCOMPARE(e.axis, int64_t(1));
        QCOMPARE(*e.role, AxisRole::Channels);
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("Given groups=1, weight of size [8, 5, 3], expected input[32, 100, 5] to have 5 channels, "
                         "but got 100 channels instead"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("transpose-input"));
        verify_all_fixes(t, input);
    }

    void channel_mismatch_first_conv_built_for_one_channel() {
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 7}, {"in_channels", 1}}},
                                    {"GlobalMaxPooling1D", "pool", true, json::object()}});
        const auto input = TraceInput::uniform({8, 64, 3});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::ChannelMismatch);
        QCOMPARE(e.axis, int64_t(2));
        QCOMPARE(*e.role, AxisRole::Channels);
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("Input 0 of layer \"conv1\" is incompatible with the layer: expected axis -1 of input shape to "
                         "have value 1, but received input with shape (8, 64, 3)"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("set-in_channels"));
        QCOMPARE(e.fixes.front().stack.layers[0].params["in_channels"].get<int>(), 3);
        const Fix* projection = find_fix(e, "project-channels");
        QVERIFY2(projection, qPrintable(fix_ids(e)));
        QCOMPARE(QString::fromStdString(projection->stack.layers[0].type), QString("Conv1D"));
        QCOMPARE(projection->stack.layers[0].params["kernel_size"].get<int>(), 1);
        verify_all_fixes(t, input);
    }

    void channel_mismatch_against_declared_shape() {
        Stack s = keras_classifier;
        const auto input = TraceInput::uniform({32, 100, 3});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::ChannelMismatch);
        QCOMPARE(e.axis, int64_t(2));
        QVERIFY(find_fix(e, "set-input-shape"));
        QVERIFY(find_fix(e, "project-channels"));
        verify_all_fixes(t, input);
    }

    void ragged_batch() {
        TraceInput input;
        input.shape = Shape{20, 120, 3};
        input.lengths = {80, 120, 95, 100};
        input.length_axis = 1;
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 4}, {"kernel_size", 5}, {"padding", "same"}}},
                                    {"GlobalAveragePooling1D", "gap", true, json::object()}});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(*t.failing_step, size_t(0));
        QCOMPARE(e.kind, MistakeKind::RaggedBatch);
        QCOMPARE(e.axis, int64_t(1));
        QCOMPARE(*e.role, AxisRole::Length);
        QVERIFY(QString::fromStdString(e.actual).contains("80 to 120"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("pad-post-and-mask"));
        const Fix& pad = e.fixes.front();
        QCOMPARE(QString::fromStdString(pad.stack.layers.front().type), QString("Masking"));
        QCOMPARE(pad.traced_on.shape, (Shape{20, 120, 3}));
        QVERIFY(!pad.traced_on.ragged());
        QCOMPARE(pad.data_change->maxlen, int64_t(120));
        const Fix* truncate = find_fix(e, "truncate");
        QVERIFY(truncate);
        QCOMPARE(truncate->traced_on.shape, (Shape{20, 80, 3}));
        verify_all_fixes(t, input);
        // PyTorch's words for the same batch.
        Stack torch = s;
        torch.data_format = DataFormat::ChannelsFirst;
        input.shape = Shape{20, 3, 120};
        input.length_axis = 2;
        const Trace tt = trace_stack(torch, input, {false, false});
        QCOMPARE(QString::fromStdString(tt.error()->framework_message),
                 QString("stack expects each tensor to be equal size, but got [80, 3] at entry 0 and [120, 3] at entry 1"));
    }

    void sequence_shorter_than_receptive_field() {
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 5}}},
                                    {"MaxPooling1D", "pool1", true, {{"pool_size", 2}}},
                                    {"Conv1D", "conv2", true, {{"filters", 8}, {"kernel_size", 3}, {"dilation_rate", 4}}},
                                    {"Conv1D", "conv3", true, {{"filters", 8}, {"kernel_size", 3}, {"dilation_rate", 4}}}});
        const auto input = TraceInput::uniform({1, 24, 2});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(*t.failing_step, size_t(4));  // conv3
        QCOMPARE(e.kind, MistakeKind::SequenceTooShort);
        QCOMPARE(e.axis, int64_t(1));
        QCOMPARE(*e.role, AxisRole::Length);
        QCOMPARE(QString::fromStdString(e.expected), QString("at least 9 steps"));
        QCOMPARE(QString::fromStdString(e.actual), QString("2 steps"));
        // TensorFlow's VALID size: (2 - 9 + 1) / 1 = -6
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("Computed output size would be negative: -6 [input_size: 2, effective_filter_size: 9, stride: 1]"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("padding-same"));
        const Fix* pad = find_fix(e, "pad-input");
        QVERIFY2(pad, qPrintable(fix_ids(e)));
        QCOMPARE(pad->data_change->maxlen, int64_t(38));
        QCOMPARE(t.min_input_length.value_or(-1), int64_t(38));  // the receptive field of conv3's output
        verify_all_fixes(t, input);
        // The same stack in PyTorch words.
        Stack torch = s;
        torch.data_format = DataFormat::ChannelsFirst;
        const Trace tt = trace_stack(torch, TraceInput::uniform({1, 2, 24}), {false, false});
        QCOMPARE(QString::fromStdString(tt.error()->framework_message),
                 QString("Calculated padded input size per channel: (2). Kernel size: (9). Kernel size can't be greater "
                         "than actual input size"));
        QCOMPARE(tt.error()->axis, int64_t(2));
    }

    void pooling_too_short_in_pytorch() {
        const Stack s = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                   {{"MaxPooling1D", "pool", true, {{"pool_size", 4}}}});
        const Trace t = trace_stack(s, TraceInput::uniform({16, 1, 3}));
        QCOMPARE(t.error()->kind, MistakeKind::SequenceTooShort);
        QCOMPARE(QString::fromStdString(t.error()->framework_message),
                 QString("Given input size: (16x1x3). Calculated output size: (16x1x0). Output size is too small"));
        verify_all_fixes(t, TraceInput::uniform({16, 1, 3}));
    }

    void dense_after_conv_without_flatten() {
        const Stack s = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 32}, {"kernel_size", 3}, {"in_channels", 4}}},
                                    {"Dense", "fc", true, {{"units", 10}, {"in_features", 32 * 98}}}});
        const auto input = TraceInput::uniform({8, 4, 100});
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::DenseWrongAxis);
        QCOMPARE(e.axis, int64_t(2));
        QCOMPARE(*e.role, AxisRole::Length);
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("mat1 and mat2 shapes cannot be multiplied (256x98 and 3136x10)"));
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("insert-flatten"));
        QCOMPARE(QString::fromStdString(e.fixes.front().stack.layers[1].type), QString("Flatten"));
        const Fix* gap = find_fix(e, "insert-global-pooling");
        QVERIFY(gap);
        QCOMPARE(gap->stack.layers[2].params["in_features"].get<int>(), 32);
        verify_all_fixes(t, input);
    }

    void dense_on_sequence_in_keras_warns() {
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 3}}},
                                    {"Dense", "fc", true, {{"units", 2}}}});
        const Trace t = trace_stack(s, TraceInput::uniform({4, 50, 3}));
        QVERIFY(t.ok());
        QCOMPARE(t.steps[2].warnings.size(), size_t(1));
        QCOMPARE(t.steps[2].warnings[0].kind, MistakeKind::DenseWrongAxis);
        QCOMPARE(t.steps[2].out->shape, (Shape{4, 48, 2}));
    }

    void dense_feature_mismatch() {
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"GlobalAveragePooling1D", "gap", true, json::object()},
                                    {"Dense", "fc", true, {{"units", 2}, {"in_features", 16}}}});
        const auto input = TraceInput::uniform({4, 50, 8});
        const Trace t = trace_stack(s, input);
        QCOMPARE(t.error()->kind, MistakeKind::FeatureMismatch);
        QCOMPARE(t.error()->axis, int64_t(1));
        QCOMPARE(QString::fromStdString(t.error()->fixes.front().id), QString("set-in-features"));
        verify_all_fixes(t, input);
    }

    void non_integer_reshape() {
        const Stack s = make_stack(DataFormat::ChannelsLast, std::nullopt,
                                   {{"Conv1D", "conv1", true, {{"filters", 4}, {"kernel_size", 3}}},
                                    {"Reshape", "r", true, {{"target_shape", {50, -1}}}}});
        const auto input = TraceInput::uniform({2, 100, 1});  // conv -> (2, 98, 4): 392 values, not a multiple of 50
        const Trace t = trace_stack(s, input);
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::NonIntegerReshape);
        QCOMPARE(e.axis, int64_t(-1));  // no single axis: the element count is at fault
        QCOMPARE(QString::fromStdString(e.framework_message),
                 QString("total size of new array must be unchanged, input_shape = [98, 4], output_shape = [50,-1]"));
        QVERIFY(find_fix(e, "replace-with-flatten"));
        const Fix* adjust = find_fix(e, "adjust-target-shape");
        QVERIFY2(adjust, qPrintable(fix_ids(e)));
        QCOMPARE(adjust->stack.layers[1].params["target_shape"], json({49, -1}));  // 392 = 49 * 8
        verify_all_fixes(t, input);
        Stack torch = s;
        torch.data_format = DataFormat::ChannelsFirst;
        const Trace tt = trace_stack(torch, TraceInput::uniform({2, 1, 100}), {false, false});
        QCOMPARE(QString::fromStdString(tt.error()->framework_message),
                 QString("shape '[2, 50, -1]' is invalid for input of size 784"));
    }

    void univariate_data_without_channel_axis() {
        const auto input = TraceInput::uniform({32, 100});
        const Trace t = trace_stack(keras_classifier, input);
        const ShapeError& e = *t.error();
        QCOMPARE(e.kind, MistakeKind::RankMismatch);
        QCOMPARE(QString::fromStdString(e.fixes.front().id), QString("add-channel-axis"));
        QCOMPARE(e.fixes.front().data_change->new_shape, (Shape{32, 100, 1}));
        // The declared 5 channels then no longer match the 1 channel: the fix chains the next one.
        verify_all_fixes(t, input);
    }

    void invalid_groups_and_pytorch_strided_same() {
        const Stack groups = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                        {{"Conv1D", "c", true, {{"filters", 12}, {"kernel_size", 3}, {"groups", 4}}}});
        const auto input = TraceInput::uniform({2, 6, 50});
        const Trace t = trace_stack(groups, input);
        QCOMPARE(t.error()->kind, MistakeKind::InvalidParameters);
        QCOMPARE(t.error()->axis, int64_t(1));
        QCOMPARE(QString::fromStdString(t.error()->framework_message), QString("in_channels must be divisible by groups"));
        QCOMPARE(t.error()->fixes.front().stack.layers[0].params["groups"].get<int>(), 2);
        verify_all_fixes(t, input);

        const Stack strided = make_stack(DataFormat::ChannelsFirst, std::nullopt,
                                         {{"Conv1D", "c", true, {{"filters", 4}, {"kernel_size", 4}, {"strides", 2}, {"padding", "same"}}}});
        const auto in2 = TraceInput::uniform({2, 3, 10});
        const Trace t2 = trace_stack(strided, in2);
        QCOMPARE(QString::fromStdString(t2.error()->framework_message),
                 QString("padding='same' is not supported for strided convolutions"));
        // Keras 'same' for L=10, k=4, s=2: out 5, total (5-1)*2 + 4 - 10 = 2 -> [1, 1]
        const Fix& f = t2.error()->fixes.front();
        QCOMPARE(QString::fromStdString(f.id), QString("explicit-same-padding"));
        QCOMPARE(f.stack.layers[0].params["padding"], json({1, 1}));
        verify_all_fixes(t2, in2);
    }

    void passing_trace_reports_params_and_min_length() {
        const Trace t = trace_stack(keras_classifier, TraceInput::uniform({4, 100, 5}));
        QVERIFY(t.ok());
        QCOMPARE(t.steps.size(), size_t(5));
        QCOMPARE(t.steps[4].out->shape, (Shape{4, 3}));
        // conv: 5*5*16 + 16 = 416; dense: 16*3 + 3 = 51
        QCOMPARE(t.total_params, int64_t(467));
        QCOMPARE(t.min_input_length.value_or(-1), int64_t(2));  // pool_size 2 needs two steps
        QCOMPARE(t.steps[1].out->roles, sequence_roles(DataFormat::ChannelsLast));
    }
};

QTEST_GUILESS_MAIN(TestDiagnosis)
#include "test_diagnosis.moc"
