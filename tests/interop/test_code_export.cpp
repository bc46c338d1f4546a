// Code export: exact lines for the key layers of the PyTorch and Keras files,
// the channels_last boundary, failures stated at the top, and every bundled
// stack exporting. Running the generated PyTorch code is checked by
// tests/golden/check_exported_pytorch.py (needs torch, so not in CI).
#include <QtTest>

#include <filesystem>

#include "interop/code_export.hpp"
#include "interop/stack_json.hpp"

using namespace convscope;
using namespace convscope::codegen;

namespace {

Stack stack_of(const char* text) {
    auto s = parse_stack_json(text, "test");
    if (!s) qFatal("%s", s.error().message.c_str());
    return *s;
}

// Layers only, on a declared input and layout.
Stack layers_on(const std::string& format, const std::string& shape, const std::string& layers) {
    const std::string text = R"({"name": "Test model", "data_format": ")" + format + R"(", "input_shape": )" + shape +
                             R"(, "layers": [)" + layers + "]}";
    return stack_of(text.c_str());
}

bool has_line(const std::string& code, const std::string& line) {
    // A whole line, ignoring indentation and any trailing comment.
    size_t pos = 0;
    while ((pos = code.find(line, pos)) != std::string::npos) {
        const size_t start = code.rfind('\n', pos);
        const std::string before = code.substr(start == std::string::npos ? 0 : start + 1, pos - (start + 1));
        const size_t end = pos + line.size();
        const bool clean_start = before.find_first_not_of(' ') == std::string::npos;
        const bool clean_end = end == code.size() || code[end] == '\n' || code.compare(end, 3, "  #") == 0;
        if (clean_start && clean_end) return true;
        pos = end;
    }
    return false;
}

#define VERIFY_LINE(code, line) QVERIFY2(has_line(code, line), ("missing line: " + std::string(line) + "\n" + code).c_str())

}  // namespace

class TestCodeExport : public QObject {
    Q_OBJECT
private slots:
    void pytorch_conv_lines_use_traced_channels() {
        const auto code = export_pytorch(layers_on("channels_last", "[null, 100, 5]", R"(
            {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 5, "padding": "same", "activation": "relu"},
            {"type": "MaxPooling1D", "name": "pool1", "pool_size": 2},
            {"type": "Conv1D", "name": "conv2", "filters": 32, "kernel_size": 3, "strides": 2, "dilation_rate": 1, "groups": 2, "use_bias": false},
            {"type": "Flatten", "name": "flat"},
            {"type": "Dense", "name": "fc", "units": 3, "activation": "softmax"})"));
        VERIFY_LINE(code, "class TestModel(nn.Module):");
        VERIFY_LINE(code, "self.conv1 = nn.Conv1d(5, 16, kernel_size=5, padding='same')");
        VERIFY_LINE(code, "self.pool1 = nn.MaxPool1d(2)");
        VERIFY_LINE(code, "self.conv2 = nn.Conv1d(16, 32, kernel_size=3, stride=2, groups=2, bias=False)");
        // (1, 100, 5) -> conv1 (1, 100, 16) -> pool (1, 50, 16) -> conv2 (1, 24, 32) -> 768 features
        VERIFY_LINE(code, "self.fc = nn.Linear(768, 3)");
        VERIFY_LINE(code, "self.flat = nn.Flatten()");
        VERIFY_LINE(code, "INPUT_SHAPE = (1, 100, 5)");
        VERIFY_LINE(code, "x = torch.relu(x)");
        VERIFY_LINE(code, "x = torch.softmax(x, dim=-1)");
        VERIFY_LINE(code, "if __name__ == \"__main__\":");
        VERIFY_LINE(code, "print(tuple(y.shape))");
    }

    void channels_last_input_is_transposed_at_the_boundary() {
        const auto code = export_pytorch(layers_on("channels_last", "[null, 100, 5]", R"(
            {"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 3},
            {"type": "Dense", "name": "per_step", "units": 4})"));
        // In to PyTorch's layout for the conv, back before Dense (which reads the channels, as in Keras).
        const auto in = code.find("x = x.transpose(1, 2)  # to PyTorch's (batch, channels, length)");
        const auto back = code.find("x = x.transpose(1, 2)  # back to the stack's (batch, length, channels)");
        QVERIFY(in != std::string::npos && back != std::string::npos && in < back);
        QVERIFY(back < code.find("x = self.per_step(x)"));
        QVERIFY(code.find("keeps the Keras input contract (batch, length, channels)") != std::string::npos);
        VERIFY_LINE(code, "self.per_step = nn.Linear(8, 4)");
        // A channels_first stack needs no transposes.
        const auto cf = export_pytorch(layers_on("channels_first", "[null, 5, 100]", R"(
            {"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 3})"));
        QVERIFY(cf.find("transpose") == std::string::npos);
        VERIFY_LINE(cf, "self.c = nn.Conv1d(5, 8, kernel_size=3)");
    }

    void pytorch_padding_forms() {
        const auto code = export_pytorch(layers_on("channels_first", "[null, 4, 64]", R"(
            {"type": "Conv1D", "name": "causal", "filters": 4, "kernel_size": 5, "padding": "causal"},
            {"type": "Conv1D", "name": "uneven", "filters": 4, "kernel_size": 3, "padding": [1, 2], "padding_mode": "reflect"},
            {"type": "Conv1D", "name": "sym", "filters": 4, "kernel_size": 3, "padding": 1, "padding_mode": "circular"},
            {"type": "ZeroPadding1D", "name": "zp", "padding": [2, 3]},
            {"type": "Cropping1D", "name": "crop", "cropping": [1, 0]},
            {"type": "UpSampling1D", "name": "up", "size": 3},
            {"type": "MaxPooling1D", "name": "mp", "pool_size": 3, "strides": 2, "padding": 1, "ceil_mode": true},
            {"type": "AveragePooling1D", "name": "ap", "pool_size": 3, "padding": 1, "count_include_pad": false},
            {"type": "GlobalMaxPooling1D", "name": "gmp", "keepdims": true})"));
        VERIFY_LINE(code, "x = F.pad(x, (4, 0))");
        VERIFY_LINE(code, "self.causal = nn.Conv1d(4, 4, kernel_size=5)");
        VERIFY_LINE(code, "x = F.pad(x, (1, 2), mode='reflect')");
        VERIFY_LINE(code, "self.uneven = nn.Conv1d(4, 4, kernel_size=3)");
        VERIFY_LINE(code, "self.sym = nn.Conv1d(4, 4, kernel_size=3, padding=1, padding_mode='circular')");
        VERIFY_LINE(code, "x = F.pad(x, (2, 3))");
        VERIFY_LINE(code, "x = x[:, :, 1:]");
        VERIFY_LINE(code, "x = x.repeat_interleave(3, dim=2)");
        VERIFY_LINE(code, "self.mp = nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True)");
        VERIFY_LINE(code, "self.ap = nn.AvgPool1d(3, padding=1, count_include_pad=False)");
        VERIFY_LINE(code, "x = x.amax(dim=2, keepdim=True)");
    }

    void keras_same_with_strides_pads_like_tensorflow() {
        const auto code = export_pytorch(layers_on("channels_last", "[null, 101, 2]", R"(
            {"type": "Conv1D", "name": "down", "filters": 4, "kernel_size": 4, "strides": 2, "padding": "same"},
            {"type": "MaxPooling1D", "name": "mp", "pool_size": 3, "strides": 2, "padding": "same"},
            {"type": "AveragePooling1D", "name": "ap", "pool_size": 2, "padding": "same"})"));
        VERIFY_LINE(code, "def keras_same_padding(length, extent, stride):");
        VERIFY_LINE(code, "x = F.pad(x, keras_same_padding(x.shape[-1], 4, 2))");
        VERIFY_LINE(code, "self.down = nn.Conv1d(2, 4, kernel_size=4, stride=2)");
        VERIFY_LINE(code, "x = F.pad(x, keras_same_padding(x.shape[-1], 3, 2), value=float('-inf'))");
        VERIFY_LINE(code, "x = masked_avg_pool1d(x, 2, 2, keras_same_padding(x.shape[-1], 2, 2))");
    }

    void separable_depthwise_transpose_and_normalisation() {
        const auto code = export_pytorch(layers_on("channels_first", "[null, 3, 40]", R"(
            {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
            {"type": "SeparableConv1D", "name": "sep", "filters": 8, "kernel_size": 3},
            {"type": "Conv1DTranspose", "name": "up", "filters": 4, "kernel_size": 4, "strides": 2, "padding": "same"},
            {"type": "Conv1DTranspose", "name": "up2", "filters": 4, "kernel_size": 3, "strides": 2, "padding": [1, 1], "output_padding": 1},
            {"type": "BatchNormalization", "name": "bn", "momentum": 0.9, "epsilon": 1e-5},
            {"type": "LayerNormalization", "name": "ln", "center": false, "scale": false},
            {"type": "Dropout", "name": "drop", "rate": 0.3})"));
        VERIFY_LINE(code, "self.dw = nn.Conv1d(3, 6, kernel_size=3, padding='same', groups=3)");
        VERIFY_LINE(code, "self.sep_depthwise = nn.Conv1d(6, 6, kernel_size=3, groups=6, bias=False)");
        VERIFY_LINE(code, "self.sep_pointwise = nn.Conv1d(6, 8, kernel_size=1)");
        VERIFY_LINE(code, "self.up = nn.ConvTranspose1d(8, 4, kernel_size=4, stride=2)");
        VERIFY_LINE(code, "x = x[:, :, 1:-1]");  // Keras 'same': (L-1)*2 + 4 cropped to 2L
        VERIFY_LINE(code, "self.up2 = nn.ConvTranspose1d(4, 4, kernel_size=3, stride=2, padding=1, output_padding=1)");
        VERIFY_LINE(code, "self.bn = nn.BatchNorm1d(4, eps=1e-05, momentum=0.1)");
        // 40 -> dw 40 -> sep 38 -> up 76 -> up2 152: LayerNorm over the last axis (length here)
        VERIFY_LINE(code, "self.ln = nn.LayerNorm(152, eps=0.001, elementwise_affine=False)");
        VERIFY_LINE(code, "self.drop = nn.Dropout(0.3)");
    }

    void disabled_layers_and_odd_names() {
        const auto code = export_pytorch(layers_on("channels_first", "[null, 2, 30]", R"(
            {"type": "Conv1D", "name": "my-conv 1", "filters": 4, "kernel_size": 3},
            {"type": "Dropout", "name": "drop", "enabled": false},
            {"type": "Conv1D", "name": "class", "filters": 4, "kernel_size": 3},
            {"type": "Conv1D", "name": "eval", "filters": 4, "kernel_size": 3})"));
        VERIFY_LINE(code, "self.my_conv_1 = nn.Conv1d(2, 4, kernel_size=3)");
        VERIFY_LINE(code, "self.class_ = nn.Conv1d(4, 4, kernel_size=3)");
        VERIFY_LINE(code, "self.eval_2 = nn.Conv1d(4, 4, kernel_size=3)");  // nn.Module.eval stays intact
        VERIFY_LINE(code, "# drop (Dropout) is disabled in the stack and left out");
        QVERIFY(code.find("nn.Dropout") == std::string::npos);
    }

    void failing_stacks_export_with_the_failure_on_top() {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/dense_without_flatten.convscope.json");
        QVERIFY(stack.ok());
        const auto code = export_pytorch(*stack);
        QVERIFY2(code.find("# WARNING: ConvScope's shape trace FAILS on (1, 4, 100) at layer 2") != std::string::npos,
                 code.c_str());
        VERIFY_LINE(code, "self.fc = nn.Linear(3072, 10)");  // the declared in_features, as written
        QVERIFY(code.find("class ") < code.find("if __name__"));
        QVERIFY(code.rfind("# WARNING", 0) == std::string::npos || code.find("# WARNING") < code.find("import torch"));
    }

    void open_input_dimensions_are_filled_and_said() {
        auto stack = load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/sensor_classifier.convscope.json");
        QVERIFY(stack.ok());
        const auto code = export_pytorch(*stack);
        VERIFY_LINE(code, "INPUT_SHAPE = (1, 128, 3)");
        QVERIFY(code.find("# Assumed: the length is open; the example uses 128 steps") != std::string::npos);
        VERIFY_LINE(code, "self.conv1 = nn.Conv1d(3, 16, kernel_size=7, padding='same')");
        VERIFY_LINE(code, "self.bn1 = nn.BatchNorm1d(16, eps=0.001, momentum=0.01)  # momentum = 1 - Keras' 0.99");
        // Too short at 128 steps would be lengthened to the stack's minimum.
        auto deep = layers_on("channels_last", "[null, null, 1]",
                              R"({"type": "Conv1D", "name": "wide", "filters": 1, "kernel_size": 200})");
        VERIFY_LINE(export_pytorch(deep), "INPUT_SHAPE = (1, 200, 1)");
    }

    void keras_export_lines() {
        const auto code = export_keras(layers_on("channels_last", "[null, 100, 5]", R"(
            {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 5, "padding": "same", "activation": "relu"},
            {"type": "Conv1D", "name": "conv2", "filters": 8, "kernel_size": 3, "padding": [1, 2], "padding_mode": "reflect"},
            {"type": "MaxPooling1D", "name": "pool", "pool_size": 2, "ceil_mode": true},
            {"type": "BatchNormalization", "name": "bn", "momentum": 0.9},
            {"type": "GlobalAveragePooling1D", "name": "gap"},
            {"type": "Dense", "name": "out", "units": 3, "activation": "softmax"})"));
        VERIFY_LINE(code, "inputs = keras.Input(shape=(100, 5), name=\"inputs\")");
        VERIFY_LINE(code, "x = layers.Conv1D(16, 5, padding=\"same\", activation=\"relu\", name=\"conv1\")(x)");
        VERIFY_LINE(code, "x = layers.ZeroPadding1D((1, 2), name=\"conv2_pad\")(x)");
        VERIFY_LINE(code, "x = layers.Conv1D(8, 3, name=\"conv2\")(x)");
        QVERIFY(code.find("# NOTE: conv2: padding_mode=\"reflect\" (PyTorch) has no Keras equivalent") != std::string::npos);
        QVERIFY(code.find("# NOTE: pool: ceil_mode (PyTorch) has no Keras equivalent") != std::string::npos);
        VERIFY_LINE(code, "x = layers.BatchNormalization(momentum=0.9, name=\"bn\")(x)");
        VERIFY_LINE(code, "x = layers.Dense(3, activation=\"softmax\", name=\"out\")(x)");
        VERIFY_LINE(code, "return keras.Model(inputs, x, name=\"Test_model\")");
    }

    void keras_channels_first() {
        const auto code = export_keras(layers_on("channels_first", "[null, 4, 50]", R"(
            {"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 3},
            {"type": "UpSampling1D", "name": "up", "size": 2},
            {"type": "BatchNormalization", "name": "bn"},
            {"type": "Conv1DTranspose", "name": "t", "filters": 2, "kernel_size": 3, "groups": 2, "padding": [1, 2]})"));
        VERIFY_LINE(code, "inputs = keras.Input(shape=(4, 50), name=\"inputs\")");
        VERIFY_LINE(code, "x = layers.Conv1D(8, 3, data_format=\"channels_first\", name=\"c\")(x)");
        VERIFY_LINE(code, "x = layers.Permute((2, 1), name=\"up_to_channels_last\")(x)");
        VERIFY_LINE(code, "x = layers.UpSampling1D(2, name=\"up\")(x)");
        VERIFY_LINE(code, "x = layers.Permute((2, 1), name=\"up_to_channels_first\")(x)");
        VERIFY_LINE(code, "x = layers.BatchNormalization(axis=1, name=\"bn\")(x)");
        VERIFY_LINE(code, "x = layers.Conv1DTranspose(2, 3, output_padding=0, data_format=\"channels_first\", name=\"t\")(x)");
        VERIFY_LINE(code, "x = layers.Cropping1D((1, 2), name=\"t_crop\")(x)");
        QVERIFY(code.find("# NOTE: t: groups=2 (PyTorch) has no Keras equivalent") != std::string::npos);
    }

    void every_bundled_stack_exports() {
        int count = 0;
        for (const auto& e : std::filesystem::directory_iterator(CONVSCOPE_RESOURCES_DIR "/stacks")) {
            auto stack = load_stack_file(e.path());
            QVERIFY2(stack.ok(), stack ? "" : stack.error().message.c_str());
            const auto torch_code = export_pytorch(*stack);
            const auto keras_code = export_keras(*stack);
            QVERIFY(torch_code.find("(nn.Module):") != std::string::npos);
            QVERIFY(torch_code.find("    def forward(self, x):") != std::string::npos);
            QVERIFY(keras_code.find("def build_model():") != std::string::npos);
            for (const auto* code : {&torch_code, &keras_code}) {
                QVERIFY(code->find("if __name__ == \"__main__\":") != std::string::npos);
                QVERIFY(code->find('\t') == std::string::npos);
            }
            auto back = parse_stack_json(export_json(*stack), "export");
            QVERIFY(back.ok() && *back == *stack);
            ++count;
        }
        QVERIFY(count >= 6);
    }

    void python_text_helpers() {
        QCOMPARE(QString::fromStdString(python_identifier("conv-1")), QString("conv_1"));
        QCOMPARE(QString::fromStdString(python_identifier("1st")), QString("_1st"));
        QCOMPARE(QString::fromStdString(python_identifier("lambda")), QString("lambda_"));
        QCOMPARE(QString::fromStdString(python_identifier("")), QString("layer"));
        QCOMPARE(QString::fromStdString(python_class_name("Accelerometer activity classifier")),
                 QString("AccelerometerActivityClassifier"));
        QCOMPARE(QString::fromStdString(python_class_name("3 layer net")), QString("Model3LayerNet"));
        QCOMPARE(QString::fromStdString(python_class_name("")), QString("ConvScopeModel"));
        QCOMPARE(QString::fromStdString(python_float(1.0 - 0.99)), QString("0.01"));
        QCOMPARE(QString::fromStdString(python_float(1e-5)), QString("1e-05"));
        QCOMPARE(QString::fromStdString(python_float(2)), QString("2.0"));
        QCOMPARE(QString::fromStdString(python_string("a\"b\\c\n")), QString("\"a\\\"b\\\\c\\n\""));
        QCOMPARE(QString::fromStdString(python_tuple({7})), QString("(7,)"));
        QCOMPARE(QString::fromStdString(python_tuple({kAnyDim, 3})), QString("(None, 3)"));
        NameTable names({"eval"});
        QCOMPARE(QString::fromStdString(names.claim("eval")), QString("eval_2"));
        QCOMPARE(QString::fromStdString(names.claim("a b")), QString("a_b"));
        QCOMPARE(QString::fromStdString(names.claim("a-b")), QString("a_b_2"));
    }
};

QTEST_GUILESS_MAIN(TestCodeExport)
#include "test_code_export.moc"
