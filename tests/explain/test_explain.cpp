// The recogniser on the frameworks' exact wording. PyTorch 1.13 texts come from
// tests/golden/explain/torch_messages.json (tests/golden/make_explain_golden.py);
// Keras, TensorFlow and PyTorch 2.x texts are built from their source templates,
// cited at each case.
#include <QtTest>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "diagnosis/shape_trace.hpp"
#include "diagnosis/trace_input.hpp"
#include "explain/explain.hpp"
#include "explain/stack_match.hpp"
#include "interop/stack_json.hpp"

using namespace convscope;
using namespace convscope::explain;

namespace {

struct Expect {
    std::string kind;
    std::optional<int64_t> expected, actual;
    int64_t axis;
    std::optional<AxisRole> role;
    std::string first_fix;  // a piece of the first fix
};

nlohmann::json golden() {
    std::ifstream f(CONVSCOPE_SOURCE_DIR "/tests/golden/explain/torch_messages.json");
    return nlohmann::json::parse(f);
}

ExplainedMessage only(const std::string& text) {
    auto e = explain_text(text);
    if (!e) throw std::runtime_error(e.error().message);
    if (!e->recognised()) throw std::runtime_error("not recognised: " + text);
    return *e->primary();
}

void check(const std::string& text, const Expect& x) {
    const ExplainedMessage m = only(text);
    QCOMPARE(m.kind, x.kind);
    QCOMPARE(m.expected, x.expected);
    QCOMPARE(m.actual, x.actual);
    QCOMPARE(m.axis, x.axis);
    QCOMPARE(m.role, x.role);
    QVERIFY2(!m.fixes.empty(), text.c_str());
    QVERIFY2(m.fixes.front().find(x.first_fix) != std::string::npos, (m.fixes.front() + " lacks " + x.first_fix).c_str());
    QVERIFY(!m.explanation.empty());
}

using R = AxisRole;
constexpr auto none = std::nullopt;

}  // namespace

class TestExplain : public QObject {
    Q_OBJECT
private slots:
    // Every PyTorch 1.13 message the golden script recorded.
    void torch113_data() {
        QTest::addColumn<QString>("name");
        const auto g = golden();
        for (auto& [name, text] : g["messages"].items()) QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void torch113() {
        QFETCH(QString, name);
        static const std::map<std::string, Expect> expect{
            {"conv_channels_last", {"conv-channel-mismatch", 5, 100, 1, R::Channels, "x = x.permute(0, 2, 1)"}},
            {"conv_in_channels", {"conv-channel-mismatch", 8, 5, 1, R::Channels, "nn.Conv1d(in_channels=5"}},
            {"conv_groups_channels", {"conv-channel-mismatch", 6, 5, 1, R::Channels, "in_channels=5, groups=1"}},
            {"conv_transpose_channels", {"conv-channel-mismatch", 5, 100, 1, R::Channels, "x.permute(0, 2, 1)"}},
            {"conv_rank_2d", {"conv-channel-mismatch", 5, 32, 1, R::Channels, "in_channels=32"}},
            {"conv_transpose_rank", {"conv-channel-mismatch", 5, 32, 1, R::Channels, "nn.ConvTranspose1d(in_channels=32"}},
            {"conv_kernel_too_big", {"kernel-larger-than-input", 9, 4, 2, R::Length, "padding=3"}},
            {"conv_kernel_too_big_padded", {"kernel-larger-than-input", 9, 6, 2, R::Length, "padding=2"}},
            {"conv_dilated_too_big", {"kernel-larger-than-input", 9, 6, 2, R::Length, "padding=2"}},
            {"conv_rank_4d", {"conv-rank", 3, 4, 1, none, "x.squeeze(1)"}},
            {"conv_in_groups", {"groups-divide", none, none, 1, R::Channels, "groups that divides in_channels"}},
            {"conv_out_groups", {"groups-divide", none, none, 1, R::Channels, "groups that divides out_channels"}},
            {"conv_same_strided", {"same-padding-strided", 1, none, 2, R::Length, "padding=(kernel_size - 1) // 2"}},
            {"conv_reflect_too_big", {"reflect-padding-too-large", 3, 5, 2, R::Length, "padding=3 or less"}},
            {"pad_reflect_too_big", {"reflect-padding-too-large", 3, 5, 2, R::Length, "padding=3 or less"}},
            {"maxpool_too_small_grad", {"pool-output-too-small", 1, 0, 2, R::Length, "kernel_size=2 or less"}},
            {"avgpool_too_small", {"pool-output-too-small", 1, 0, 2, R::Length, "kernel_size=2 or less"}},
            {"pool_pad_too_big", {"pool-padding-too-large", 2, 3, 2, R::Length, "padding=2 or less"}},
            {"batchnorm_features", {"batchnorm-features", 5, 100, 1, R::Channels, "nn.BatchNorm1d(num_features=100)"}},
            {"linear_no_flatten", {"linear-shape", 1600, 100, 1, R::Features, "nn.Flatten() (or x = x.flatten(1)) before nn.Linear(in_features=1600"}},
            {"linear_in_features", {"linear-shape", 100, 1600, 1, R::Features, "nn.Flatten() then nn.Linear(in_features=1600"}},
            {"view_invalid", {"view-size", 51200, 48128, 1, R::Features, "nn.Linear(in_features=1504)"}},
            {"reshape_invalid", {"view-size", none, 48128, 1, R::Features, "x.flatten(1)"}},
            {"layernorm_shape", {"layernorm-shape", 16, 100, 2, R::Length, "x.transpose(1, 2) before nn.LayerNorm(16)"}},
            {"lstm_input_size", {"rnn-input-size", 5, 100, 2, R::Channels, "x.permute(0, 2, 1)"}},
            {"stack_ragged", {"ragged-batch", 100, 80, 1, R::Length, "pad_sequence(batch, batch_first=True)"}},
            {"conv_transpose_output_padding", {"output-padding-too-large", 0, 2, 2, R::Length, "output_padding=0"}},
        };
        const std::string n = name.toStdString();
        const auto it = expect.find(n);
        QVERIFY2(it != expect.end(), ("no expectation for golden message " + n).c_str());
        check(golden()["messages"][n].get<std::string>(), it->second);
    }

    void torch113Details() {
        const auto g = golden()["messages"];
        const auto m = only(g["conv_channels_last"]);
        QCOMPARE(m.mistake, MistakeKind::TransposedInput);
        QCOMPARE(m.shapes.size(), size_t(2));
        QCOMPARE(m.shapes[0], (Shape{16, 5, 3}));  // the weight
        QCOMPARE(m.layer_input, std::optional(Shape{32, 100, 5}));
        QVERIFY(m.explanation.find("channels_last") != std::string::npos);
        const auto linear = only(g["linear_no_flatten"]);
        QCOMPARE(linear.mistake, MistakeKind::DenseWrongAxis);
        QCOMPARE(linear.layer_input, std::optional(Shape{32, 16, 100}));
        QCOMPARE(only(g["linear_in_features"]).mistake, MistakeKind::FeatureMismatch);
        // 1.13 reads a 2-D batch as one unbatched example; the fix list says so.
        const auto unbatched = only(g["conv_rank_2d"]);
        QVERIFY(unbatched.fixes.back().find("x.unsqueeze(1)") != std::string::npos);
    }

    // Keras 2 (tf_keras), Keras 3 and TensorFlow ops, from their source templates.
    void kerasTemplates_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(keras_cases().size()); ++i)
            QTest::newRow(keras_cases()[size_t(i)].first.c_str()) << QString::fromStdString(keras_cases()[size_t(i)].first) << i;
    }
    void kerasTemplates() {
        QFETCH(int, index);
        const auto& [text, x] = keras_cases()[size_t(index)];
        check(text, x);
        QCOMPARE(only(text).framework, Framework::Keras);
    }

    // PyTorch 2.x and older wordings, from aten's sources.
    void torchOtherVersions_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(torch_cases().size()); ++i) QTest::newRow(torch_cases()[size_t(i)].first.c_str()) << i;
    }
    void torchOtherVersions() {
        QFETCH(int, index);
        const auto& [text, x] = torch_cases()[size_t(index)];
        check(text, x);
        QCOMPARE(only(text).framework, Framework::PyTorch);
    }

    void kerasLayerNames() {
        QCOMPARE(only("Input 0 of layer \"conv1d_3\" is incompatible with the layer: expected axis -1 of input shape to have "
                      "value 5, but received input with shape (32, 5, 100)").layer_name,
                 std::string("conv1d_3"));
        // Keras 3.x names the input too.
        const auto m = only("ValueError: Input 0 with name 'keras_tensor' of layer 'conv1' is incompatible with the layer: "
                            "expected axis -1 of input shape to have value 5, but received input with shape (32, 5, 100)");
        QCOMPARE(m.layer_name, std::string("conv1"));
        QCOMPARE(m.layer_type, std::string("Conv1D"));
        QCOMPARE(m.stack_types.front(), std::string("Conv1D"));
    }

    void distinctMessageCount() {
        std::set<std::string> wordings;
        const auto recorded = golden();  // items() must not outlive the document it walks
        for (auto& [n, t] : recorded["messages"].items()) wordings.insert(t.get<std::string>().substr(0, 30));
        for (const auto& c : keras_cases()) wordings.insert(c.first.substr(0, 30));
        for (const auto& c : torch_cases()) wordings.insert(c.first.substr(0, 30));
        QVERIFY2(wordings.size() >= 25, std::to_string(wordings.size()).c_str());
        QVERIFY(recognised_kinds().size() >= 25);
    }

    // Whole tracebacks: the error line is found, chained exceptions included.
    void tracebacks() {
        const auto tb = golden()["tracebacks"];
        const auto plain = only(tb["net_channels_last"]);
        QCOMPARE(plain.kind, std::string("conv-channel-mismatch"));
        QCOMPARE(plain.layer_name, std::string("conv1"));  // from the caret line under self.conv1(x)
        QCOMPARE(plain.line, int64_t(22));

        auto direct = explain_text(tb["chained_direct_cause"].get<std::string>());
        QVERIFY(direct && direct->recognised());
        QCOMPARE(direct->primary()->kind, std::string("conv-channel-mismatch"));
        QCOMPARE(direct->messages.size(), size_t(1));  // "training step 0 failed" is not a shape error

        auto during = explain_text(tb["chained_during_handling"].get<std::string>());
        QVERIFY(during && during->recognised());
        QCOMPARE(during->primary()->kind, std::string("linear-shape"));
        QCOMPARE(during->primary()->layer_name, std::string("fc"));
        QCOMPARE(during->primary()->actual, std::optional<int64_t>(384));
    }

    // TF's multi-line "Exception encountered when calling layer" block (keras/engine/base_layer.py,
    // tf_keras/src/utils/traceback_utils.py) and Keras 3's bold variant (keras/src/utils/traceback_utils.py).
    void kerasTracebackBlocks() {
        const std::string tf =
            "Traceback (most recent call last):\n  File \"train.py\", line 12, in <module>\n    model(x)\n"
            "  File \"/usr/lib/python3/dist-packages/keras/utils/traceback_utils.py\", line 70, in error_handler\n"
            "    raise e.with_traceback(filtered_tb) from None\n"
            "ValueError: Exception encountered when calling layer 'conv1d_1' (type Conv1D).\n\n"
            "Negative dimension size caused by subtracting 9 from 4 for '{{node conv1d_1/Conv1D}} = Conv2D[T=DT_FLOAT, "
            "data_format=\"NHWC\", dilations=[1, 1, 1, 1], explicit_paddings=[], padding=\"VALID\", strides=[1, 1, 1, 1], "
            "use_cudnn_on_gpu=true](conv1d_1/Conv1D/ExpandDims, conv1d_1/Conv1D/ExpandDims_1)' with input shapes: "
            "[?,1,4,5], [1,9,5,16].\n\nCall arguments received by layer 'conv1d_1' (type Conv1D):\n"
            "  \xE2\x80\xA2 inputs=tf.Tensor(shape=(None, 4, 5), dtype=float32)\n";
        const auto m = only(tf);
        QCOMPARE(m.kind, std::string("tf-negative-dimension"));
        QCOMPARE(m.layer_name, std::string("conv1d_1"));
        QCOMPARE(m.expected, std::optional<int64_t>(9));
        QCOMPARE(m.actual, std::optional<int64_t>(4));
        QCOMPARE(m.shapes.size(), size_t(2));
        QCOMPARE(m.line, int64_t(8));

        const std::string k3 =
            "ValueError: Exception encountered when calling Conv1D.call().\n\n\x1b[1mComputed output size would be negative. "
            "Received `inputs shape=(32, 2, 5)`, `kernel shape=(5, 5, 16)`, `dilation_rate=[1]`.\x1b[0m\n\n"
            "Arguments received by Conv1D.call():\n  \xE2\x80\xA2 inputs=tf.Tensor(shape=(32, 2, 5), dtype=float32)\n";
        const auto n = only(k3);
        QCOMPARE(n.kind, std::string("negative-output-size"));
        QCOMPARE(n.layer_type, std::string("Conv1D"));
        QCOMPARE(n.expected, std::optional<int64_t>(5));
        QCOMPARE(n.actual, std::optional<int64_t>(2));
        QCOMPARE(n.layer_input, std::optional(Shape{32, 2, 5}));
    }

    // Wrapped, indented, prefixed or surrounded by other text: still the same reading.
    void wrappedAndSurrounded() {
        const std::string wrapped =
            "2024-05-01 12:00:03 ERROR step 17:\n    RuntimeError: Given groups=1, weight of\n      size [16, 5, 3], expected\n"
            "      input[32,\n 100, 5] to have 5 channels,\n      but got 100 channels instead\n(see above)";
        check(wrapped, {"conv-channel-mismatch", 5, 100, 1, R::Channels, "x.permute(0, 2, 1)"});
        QCOMPARE(only(wrapped).line, int64_t(2));
        const std::string pytest =
            "E       RuntimeError: mat1 and mat2 shapes cannot be multiplied\nE       (32x1600 and 100x10)\n";
        check(pytest, {"linear-shape", 100, 1600, 1, R::Features, "in_features=1600"});
        const std::string rich = "\xE2\x94\x82 ValueError: Input 0 of layer \"conv1d\" is incompatible with the layer: expected   \xE2\x94\x82\n"
                                 "\xE2\x94\x82 axis -1 of input shape to have value 5, but received input with shape (32, 5, 100) \xE2\x94\x82\n";
        check(rich, {"keras-axis-value", 5, 100, 2, R::Channels, "np.transpose(x, (0, 2, 1))"});
        // Repeats of one message are one reading; a different message is listed after it.
        auto two = explain_text(golden()["messages"]["conv_channels_last"].get<std::string>() + "\n" +
                                golden()["messages"]["conv_channels_last"].get<std::string>() + "\nthen\n" +
                                golden()["messages"]["batchnorm_features"].get<std::string>());
        QVERIFY(two);
        QCOMPARE(two->messages.size(), size_t(2));
        QCOMPARE(two->messages[1].kind, std::string("batchnorm-features"));
    }

    // Unrelated errors are honestly not recognised.
    void unrelatedNotRecognised_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("cuda-oom") << "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity; "
                                     "5.10 GiB already allocated; 1.20 GiB free; 5.30 GiB reserved in total by PyTorch)";
        QTest::newRow("dtype") << "RuntimeError: expected scalar type Float but found Double";
        QTest::newRow("file-not-found") << "FileNotFoundError: [Errno 2] No such file or directory: 'data/train.npy'";
        QTest::newRow("key-error") << "Traceback (most recent call last):\n  File \"load.py\", line 3, in <module>\nKeyError: 'conv1.weight'";
        QTest::newRow("index") << "IndexError: index 100 is out of bounds for dimension 0 with size 100";
        QTest::newRow("nan-loss") << "RuntimeError: Function 'MseLossBackward0' returned nan values in its 0th output.";
        QTest::newRow("import") << "ModuleNotFoundError: No module named 'tensorflow'";
        QTest::newRow("device") << "RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!";
        QTest::newRow("tf-oom") << "ResourceExhaustedError: OOM when allocating tensor with shape[32,64,1000] and type float on "
                                   "/job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc";
        QTest::newRow("signature") << "TypeError: forward() takes 2 positional arguments but 3 were given";
        QTest::newRow("worker") << "RuntimeError: DataLoader worker (pid 1234) is killed by signal: Killed.";
        QTest::newRow("empty") << "";
    }
    void unrelatedNotRecognised() {
        QFETCH(QString, text);
        auto e = explain_text(text.toStdString());
        QVERIFY(e);
        QVERIFY2(!e->recognised(), e->recognised() ? e->primary()->kind.c_str() : "");
    }

    // Nothing hangs or grows on hostile text; oversized text is refused with the limit named.
    void pathological() {
        auto too_big = explain_text(std::string(kMaxExplainBytes + 1, 'a'));
        QVERIFY(!too_big);
        QVERIFY(too_big.error().message.find("1 MiB") != std::string::npos);
        const auto start = std::chrono::steady_clock::now();
        std::string nasty;
        while (nasty.size() < kMaxExplainBytes - 200) nasty += "Given groups=1, weight of size [[[[[(((( expected input[1, 1, ";
        QVERIFY(explain_text(nasty));
        std::string one_line(kMaxExplainBytes - 10, '[');
        QVERIFY(explain_text(one_line));
        std::string digits = "mat1 and mat2 shapes cannot be multiplied (" + std::string(100000, '9') + "x1 and 1x1)";
        auto d = explain_text(digits);
        QVERIFY(d && !d->recognised());  // a 100000-digit size is no size
        // Thousands of distinct real messages: read, summarised by the first ones, quickly.
        std::string log;
        for (int i = 0; log.size() < kMaxExplainBytes - 200; ++i)
            log += "  File \"train.py\", line " + std::to_string(i) + "\n    y = self.fc(x)\nRuntimeError: mat1 and mat2 shapes "
                   "cannot be multiplied (32x" + std::to_string(i + 1) + " and 100x10)\n";
        auto many = explain_text(log);
        QVERIFY(many && many->recognised());
        QCOMPARE(many->primary()->actual, std::optional<int64_t>(1));
        QCOMPARE(many->primary()->layer_name, std::string("fc"));
        QVERIFY(many->messages.size() <= 32);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY2(seconds < 10, std::to_string(seconds).c_str());
    }

    // With a stack: the message's layer, the trace re-run on the message's shape, verified fixes.
    void withStack() {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/transposed_input.convscope.json");
        QVERIFY(stack);
        const auto m = only("Input 0 of layer \"conv1\" is incompatible with the layer: expected axis -1 of input shape to have "
                            "value 5, but received input with shape (32, 5, 100)");
        const StackMatch match = match_stack(m, *stack);
        QCOMPARE(match.layer, std::optional<size_t>(0));
        QVERIFY(match.layer_reason.find("names") != std::string::npos);
        QVERIFY(match.trace);
        QCOMPARE(match.trace->input.shape, (Shape{32, 5, 100}));
        QVERIFY(!match.trace->ok());
        const auto& fixes = match.trace->error()->fixes;
        QVERIFY(!fixes.empty());
        for (const Fix& f : fixes) QVERIFY(trace_stack(f.stack, f.traced_on).ok());  // each one passes
    }

    void withStackLaterLayer() {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/too_short.convscope.json");
        QVERIFY(stack);
        // TF's wording for the stack's own mistake; the name points at no layer, the trace finds it.
        const Trace own = trace_stack(*stack, *trace_input_from_declared_for_test(*stack));
        QVERIFY(!own.ok());
        const auto failing = size_t(own.steps[*own.failing_step].index);
        const auto m = only("Negative dimension size caused by subtracting 9 from 4 for '{{node nonexistent/Conv1D}}'");
        const StackMatch match = match_stack(m, *stack);
        QVERIFY(match.trace);
        QCOMPARE(match.layer, std::optional<size_t>(failing));
        QVERIFY(match.agrees);
    }

    // A Linear after the last conv with no Flatten: the message's layer is the third, the
    // trace runs on the declared input and fails at that same layer.
    void withStackLinear() {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/dense_without_flatten.convscope.json");
        QVERIFY(stack);
        const auto m = only("mat1 and mat2 shapes cannot be multiplied (1024x96 and 3072x10)");
        QCOMPARE(m.mistake, MistakeKind::DenseWrongAxis);
        QCOMPARE(m.layer_input, std::optional(Shape{32, 32, 96}));
        const StackMatch match = match_stack(m, *stack);
        QCOMPARE(match.layer, std::optional<size_t>(2));
        QVERIFY(match.trace);
        QVERIFY(match.agrees);
        QVERIFY(!match.trace->error()->fixes.empty());
        for (const Fix& f : match.trace->error()->fixes) QVERIFY(trace_stack(f.stack, f.traced_on).ok());
    }

private:
    static std::optional<TraceInput> trace_input_from_declared_for_test(const Stack& s);

    static const std::vector<std::pair<std::string, Expect>>& keras_cases() {
        static const std::vector<std::pair<std::string, Expect>> cases{
            // keras/src/layers/input_spec.py, assert_input_compatibility (Keras 3; tf_keras/src/engine/input_spec.py alike).
            {"Input 0 of layer \"conv1d\" is incompatible with the layer: expected axis -1 of input shape to have value 5, but "
             "received input with shape (32, 5, 100)", {"keras-axis-value", 5, 100, 2, R::Channels, "np.transpose(x, (0, 2, 1))"}},
            {"Input 0 with name 'keras_tensor' of layer 'conv1d' is incompatible with the layer: expected axis -1 of input shape "
             "to have value 8, but received input with shape (None, 100, 5)", {"keras-axis-value", 8, 5, 2, R::Channels, "keras.Input(shape=(100, 5))"}},
            {"Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have value 1600, but "
             "received input with shape (32, 100, 16)", {"keras-axis-value", 1600, 16, 2, R::Channels, "layers.Flatten() before the Dense"}},
            // TF 2.3's tensorflow/python/keras/engine/input_spec.py: no comma, list shape.
            {"Input 0 of layer dense is incompatible with the layer: expected axis -1 of input shape to have value 1600 but "
             "received input with shape [None, 100]", {"keras-axis-value", 1600, 100, 1, R::Features, "rebuild the model"}},
            {"Input 0 of layer \"conv1d\" is incompatible with the layer: expected min_ndim=3, found ndim=2. Full shape received: "
             "(32, 100)", {"keras-ndim", 3, 2, 2, R::Channels, "np.expand_dims(x, -1)"}},
            {"Input 0 of layer \"max_pooling1d\" is incompatible with the layer: expected ndim=3, found ndim=4. Full shape "
             "received: (None, 100, 1, 5)", {"keras-ndim", 3, 4, 2, none, "np.squeeze(x, axis=2)"}},
            {"Input 0 of layer \"model\" is incompatible with the layer: expected shape=(None, 100, 5), found shape=(32, 5, 100)",
             {"keras-model-input-shape", 5, 100, 2, R::Channels, "np.transpose(x, (0, 2, 1))"}},
            {"Input 0 of layer \"functional\" is incompatible with the layer: expected shape=(None, 100, 5), found shape=(32, 80, 5)",
             {"keras-model-input-shape", 100, 80, 1, R::Length, "pad_sequences(x, maxlen=100"}},
            // tf_keras/src/engine/functional.py, _conform_to_reference_input (a warning before the error).
            {"WARNING:tensorflow:Model was constructed with shape (None, 100, 5) for input KerasTensor(type_spec=TensorSpec("
             "shape=(None, 100, 5), dtype=tf.float32, name='input_1'), name='input_1', description=\"created by layer "
             "'input_1'\"), but it was called on an input with incompatible shape (32, 5, 100).",
             {"keras-model-input-shape", 5, 100, 2, R::Channels, "np.transpose"}},
            // keras 2.0-2.3 keras/engine/training_utils.py, standardize_input_data.
            {"ValueError: Error when checking input: expected conv1d_input to have shape (100, 5) but got array with shape (5, 100)",
             {"keras-model-input-shape", 5, 100, 2, R::Channels, "np.transpose"}},
            {"ValueError: Error when checking input: expected conv1d_input to have 3 dimensions, but got array with shape (32, 100)",
             {"keras-model-input-shape", 3, 2, 2, R::Channels, "np.expand_dims(x, -1)"}},
            // tensorflow/core/framework/common_shape_fns.cc, GetWindowedOutputSizeFromDimsV2.
            {"Negative dimension size caused by subtracting 9 from 4 for '{{node conv1d/Conv1D}} = Conv2D[T=DT_FLOAT](conv1d/"
             "Conv1D/ExpandDims, conv1d/Conv1D/ExpandDims_1)' with input shapes: [?,1,4,5], [1,9,5,16].",
             {"tf-negative-dimension", 9, 4, 1, R::Length, "padding=\"same\" on the Conv1D"}},
            {"Negative dimension size caused by subtracting 2 from 1 for 'max_pooling1d_1/MaxPool' (op: 'MaxPool') with input "
             "shapes: [?,1,1,16].", {"tf-negative-dimension", 2, 1, 1, R::Length, "padding=\"same\" on the pooling layer"}},
            // tensorflow/core/framework/kernel_shape_util.cc, GetWindowedOutputSizeVerbose.
            {"Computed output size would be negative: -4 [input_size: 4, effective_filter_size: 9, stride: 1]",
             {"negative-output-size", 9, 4, 1, R::Length, "padding=\"same\""}},
            // keras/src/ops/operation_utils.py, compute_conv_output_shape (line 221 in Keras 3.x tracebacks).
            {"Computed output size would be negative. Received `inputs shape=(None, 2, 32)`, `kernel shape=(5, 32, 32)`, "
             "`dilation_rate=[1]`.", {"negative-output-size", 5, 2, 1, R::Length, "padding=\"same\" on the Conv1D"}},
            {"Computed output size would be negative. Received `inputs shape=(None, 4, 8)`, `kernel shape=(3, 8, 8)`, "
             "`dilation_rate=[2]`.", {"negative-output-size", 5, 4, 1, R::Length, "padding=\"same\""}},
            // keras/src/ops/operation_utils.py, compute_pooling_output_shape.
            {"Computed output size would be negative. Received: `inputs.shape=(32, 1, 16)` and `pool_size=[2]`.",
             {"negative-output-size", 2, 1, 1, R::Length, "padding=\"same\" on the pooling layer"}},
            // keras/src/layers/convolutional/base_conv.py, build and __init__.
            {"The number of input channels must be evenly divisible by the number of groups. Received groups=2, but the input "
             "has 5 channels (full input shape is (None, 100, 5)).", {"keras-groups", 2, 5, 2, R::Channels, "groups=1"}},
            {"The number of filters must be evenly divisible by the number of groups. Received: groups=2, filters=15.",
             {"keras-groups", 2, 15, -1, R::Channels, "filters=16"}},
            // tf_keras/src/layers/reshaping/reshape.py, _fix_unknown_dimension.
            {"total size of new array must be unchanged, input_shape = [100, 16], output_shape = [1500]",
             {"keras-reshape-size", 1500, 1600, 2, R::Channels, "layers.Reshape((1600,))"}},
            // keras/src/ops/operation_utils.py, compute_reshape_output_shape.
            {"The total size of the tensor must be unchanged. Received: input_shape=(100, 16), target_shape=(1500,)",
             {"keras-reshape-size", 1500, 1600, 2, R::Channels, "layers.Flatten()"}},
            // tensorflow/core/kernels/reshape_op.h.
            {"InvalidArgumentError: Input to reshape is a tensor with 51200 values, but the requested shape has 48000 [Op:Reshape]",
             {"tf-reshape-size", 48000, 51200, -1, none, "layers.Flatten()"}},
            // tensorflow/core/kernels/matmul_op_impl.h.
            {"InvalidArgumentError: Matrix size-incompatible: In[0]: [32,1600], In[1]: [100,10] [Op:MatMul]",
             {"tf-matmul-shape", 100, 1600, 1, R::Features, "rebuild the model"}},
            // tf_keras/src/layers/core/dense.py, build; Keras 3 keras/src/layers/core/dense.py.
            {"The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape received: (None, None)",
             {"keras-dense-undefined", none, none, 1, R::Features, "GlobalAveragePooling1D()"}},
            {"The last dimension of the input shape of a Dense layer should be defined. Found None.",
             {"keras-dense-undefined", none, none, -1, R::Features, "GlobalAveragePooling1D()"}},
            // tensorflow/core/kernels/conv_ops.cc.
            {"InvalidArgumentError: input depth must be evenly divisible by filter depth: 100 vs 5 [Op:Conv2D]",
             {"tf-conv-depth", 5, 100, 2, R::Channels, "np.transpose(x, (0, 2, 1))"}},
            // tensorflow/python/framework/constant_op.py (via convert_to_eager_tensor).
            {"ValueError: Can't convert non-rectangular Python sequence to Tensor.",
             {"ragged-batch", none, none, 1, R::Length, "pad_sequences"}},
        };
        return cases;
    }

    static const std::vector<std::pair<std::string, Expect>>& torch_cases() {
        static const std::vector<std::pair<std::string, Expect>> cases{
            // 2.x aten/src/ATen/native/MaxPooling.cpp, check_max_pool1d.
            {"RuntimeError: max_pool1d() Invalid computed output size: -1", {"pool-output-too-small", 1, -1, 2, R::Length, "smaller kernel_size"}},
            // aten/src/ATen/native/Pool.h, pool2d_shape_check.
            {"RuntimeError: pad should be at most half of effective kernel size, but got pad=3, kernel_size=4 and dilation=1",
             {"pool-padding-too-large", 2, 3, 2, R::Length, "padding=2 or less"}},
            // 2.x aten/src/ATen/native/Convolution.cpp, conv_transpose1d's rank check.
            {"RuntimeError: Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: [32, 1, 5, 100]",
             {"conv-rank", 3, 4, 1, none, "x.squeeze(1)"}},
            {"RuntimeError: Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [100]",
             {"conv-rank", 3, 1, 0, none, "x.view(1, 1, -1)"}},
            // Before 1.11: aten/src/ATen/native/Convolution.cpp, check_shape_forward.
            {"RuntimeError: Expected 3-dimensional input for 3-dimensional weight [16, 5, 3], but got 2-dimensional input of size "
             "[32, 100] instead", {"conv-rank", 3, 2, 1, R::Channels, "x.unsqueeze(1)"}},
            // Before 1.8: aten/src/TH/generic/THTensorMath.cpp, addmm.
            {"RuntimeError: size mismatch, m1: [32 x 1600], m2: [100 x 10] at /pytorch/aten/src/TH/generic/THTensorMath.cpp:136",
             {"linear-shape", 100, 1600, 1, R::Features, "in_features=1600"}},
            // 2.x aten/src/ATen/native/Normalization.cpp, _batch_norm_impl_index.
            {"RuntimeError: running_var should contain 16 elements not 32", {"batchnorm-features", 32, 16, 1, R::Channels, "num_features=16"}},
        };
        return cases;
    }
};

std::optional<TraceInput> TestExplain::trace_input_from_declared_for_test(const Stack& s) {
    auto d = trace_input_from_declared(s);
    return d ? std::optional(*d) : std::nullopt;
}

QTEST_GUILESS_MAIN(TestExplain)
#include "test_explain.moc"
