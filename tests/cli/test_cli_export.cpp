// convscope-cli export / import: what they write, and messages on bad input.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>
#include <fstream>
#include <sstream>

#include "export_command.hpp"
#include "data/dataset_loader.hpp"
#include "data/npy_writer.hpp"
#include "diagnosis/trace_input.hpp"
#include "layers/layer_support.hpp"
#include "interop/stack_json.hpp"

using namespace convscope::cli;

namespace {
struct Run {
    int status;
    std::string out, err;
};
Run call(int (*fn)(const std::vector<std::string>&, std::ostream&, std::ostream&), std::vector<std::string> args) {
    std::ostringstream out, err;
    const int status = fn(args, out, err);
    return {status, out.str(), err.str()};
}
const std::string stack_file = CONVSCOPE_RESOURCES_DIR "/stacks/transposed_input.convscope.json";
const std::string fixtures = CONVSCOPE_SOURCE_DIR "/tests/interop/fixtures/";
const std::string samples = CONVSCOPE_RESOURCES_DIR "/samples/";

// The ragged sample's stack after its first fix (pad and mask): Masking, conv1, conv2, gap, classifier.
std::string fixed_ragged_stack(const QTemporaryDir& dir, bool pool_right_after_masking = false) {
    auto stack = convscope::load_stack_file(CONVSCOPE_RESOURCES_DIR "/stacks/ragged_batch.convscope.json");
    if (!stack) qFatal("%s", stack.error().message.c_str());
    convscope::LayerSpec masking{"Masking", "masking", true, {{"mask_value", 0.0}}};
    stack->layers.insert(stack->layers.begin(), masking);
    if (pool_right_after_masking) stack->layers.erase(stack->layers.begin() + 1, stack->layers.begin() + 3);
    const std::string path = dir.filePath(pool_right_after_masking ? "pool.json" : "fixed.json").toStdString();
    std::ofstream(path) << convscope::stack_to_json_text(*stack);
    return path;
}

bool has(const std::string& text, const std::string& needle) {
    if (text.find(needle) != std::string::npos) return true;
    qWarning("\"%s\" not in:\n%s", needle.c_str(), text.c_str());
    return false;
}

// Runs a generated PyTorch file with Debian's python3-torch; returns what it printed.
std::string run_python(const QTemporaryDir& dir, const std::string& code) {
    const QString path = dir.filePath("exported.py");
    std::ofstream(path.toStdString()) << code;
    QProcess p;
    p.start("/usr/bin/python3", {path});
    if (!p.waitForFinished(120000)) return "timeout";
    return (p.readAllStandardOutput() + p.readAllStandardError()).toStdString();
}
}  // namespace

class TestCliExport : public QObject {
    Q_OBJECT
private slots:
    void exports_pytorch_keras_and_json() {
        auto r = call(run_export_command, {stack_file, "--to", "pytorch"});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.out.find("nn.Conv1d(5, 16, kernel_size=5, padding='same')") != std::string::npos, r.out.c_str());
        QVERIFY(r.out.find("if __name__ == \"__main__\":") != std::string::npos);
        r = call(run_export_command, {stack_file, "--to", "keras"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("keras.Input(shape=(100, 5)") != std::string::npos);
        r = call(run_export_command, {stack_file, "--to", "json"});
        QCOMPARE(r.status, 0);
        auto parsed = convscope::parse_stack_json(r.out, "stdout");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->layers.size(), size_t(5));
    }

    // Issue 9: on the fixed ragged project (2 channels, 176 parameters in conv1) the export wrote
    // nn.Conv1d(1, 16, ...) and INPUT_SHAPE = (1, 128, 1), "1 channel is assumed".
    void export_fills_open_sizes_from_the_data() {
        QTemporaryDir dir;
        const std::string stack = fixed_ragged_stack(dir);
        auto r = call(run_export_command, {stack, "--to", "pytorch", "--data", samples + "ragged_labelled.ts"});
        QCOMPARE(r.status, 0);
        QVERIFY(has(r.out, "nn.Conv1d(2, 16, kernel_size=5, padding='same')"));
        QVERIFY(has(r.out, "INPUT_SHAPE = (20, 120, 2)"));
        QVERIFY(has(r.out, "# Filled from the data the trace used (ragged_labelled.ts), (20, 120, 2): batch 20,"));
        QVERIFY(r.out.find("1 channel is assumed") == std::string::npos);
        // conv1 is followed by conv2: Keras drops the mask there, and the export says so.
        QVERIFY(has(r.out, "# Mask: The mask of \"masking\" does not reach any pooling: \"conv1\" (Conv1D) drops it"));
        auto k = call(run_export_command, {stack, "--to", "keras", "--data", samples + "ragged_labelled.ts"});
        QCOMPARE(k.status, 0);
        QVERIFY(has(k.out, "keras.Input(shape=(None, 2)"));  // the length stays open, channels from the data
        QVERIFY(has(k.out, "INPUT_SHAPE = (20, 120, 2)"));
        // It runs with torch on the data's shape and gives the trace's output, (20, 3).
        const std::string printed = run_python(dir, r.out);
        QVERIFY2(printed.find("(20, 3)") != std::string::npos, printed.c_str());
        // A bad --data is an error naming the file.
        auto bad = call(run_export_command, {stack, "--to", "pytorch", "--data", dir.filePath("missing.npy").toStdString()});
        QCOMPARE(bad.status, 2);
        QVERIFY(has(bad.err, "missing.npy"));
    }

    // A global pooling right after Masking uses the mask in Keras: the PyTorch code pools over real steps.
    void masked_global_pooling_is_exported_as_masked_mean() {
        QTemporaryDir dir;
        const std::string stack = fixed_ragged_stack(dir, true);
        auto r = call(run_export_command, {stack, "--to", "pytorch", "--data", samples + "ragged_labelled.ts"});
        QCOMPARE(r.status, 0);
        QVERIFY(has(r.out, "x = (x * m).sum(dim=2) / m.sum(dim=2).clamp(min=1)  # mean over the real steps, as Keras"));
        QVERIFY(has(r.out, "# Mask: \"gap\" (GlobalAveragePooling1D) uses the mask of \"masking\""));
        // The masked mean ignores padded steps: zero-padding a batch leaves the output unchanged.
        const std::string check = r.out.substr(0, r.out.find("if __name__")) +
                                  "if __name__ == \"__main__\":\n"
                                  "    torch.manual_seed(0)\n"
                                  "    model = ClassifierForVariableLengthRecordings().eval()\n"
                                  "    x = torch.randn(2, 80, 2)\n"
                                  "    padded = torch.cat([x, torch.zeros(2, 40, 2)], dim=1)\n"
                                  "    with torch.no_grad():\n"
                                  "        same = torch.allclose(model(x), model(padded), atol=1e-6)\n"
                                  "    print('masked' if same else 'unmasked', tuple(model(padded).shape))\n";
        const std::string printed = run_python(dir, check);
        QVERIFY2(printed.find("masked (2, 3)") != std::string::npos && printed.find("unmasked") == std::string::npos,
                 printed.c_str());
    }

    // Issue 9, "the export disagrees with the trace": for each data file, the exported conv1 reads
    // the channel count the trace saw at conv1 and INPUT_SHAPE is the shape the trace used, also for
    // data with fewer axes than a sequence batch (an (N, L) array): it was read as (N, L, 1) before
    // the exporter saw it, so a stack declared (None, None) (Reshape first) got (1, 128).
    void export_agrees_with_the_trace() {
        QTemporaryDir dir;
        const std::string nl = dir.filePath("nl.npy").toStdString();
        std::vector<float> values(8 * 300);
        for (size_t i = 0; i < values.size(); ++i) values[i] = float(i % 17) / 17.0f;
        QVERIFY(convscope::data::write_npy(nl, {8, 300}, values));
        const std::string reshaping = dir.filePath("reshaping.json").toStdString();
        std::ofstream(reshaping) << R"({"format": "convscope-stack", "version": 1, "name": "reshaping",
            "data_format": "channels_last", "input_shape": [null, null], "layers": [
            {"type": "Reshape", "name": "to_channels", "target_shape": [-1, 1]},
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 5},
            {"type": "GlobalAveragePooling1D", "name": "gap"}, {"type": "Dense", "name": "out", "units": 2}]})";
        const struct {
            std::string stack, data, input_shape;
        } cases[] = {
            {fixed_ragged_stack(dir), samples + "ragged_labelled.ts", "(20, 120, 2)"},
            {reshaping, nl, "(8, 300)"},
        };
        for (const auto& c : cases) {
            auto stack = convscope::load_stack_file(c.stack);
            QVERIFY(stack.ok());
            auto dataset = convscope::data::load_dataset(c.data);
            QVERIFY(dataset.ok());
            auto trace = convscope::trace_stack(*stack, convscope::trace_input_from_dataset(*dataset, stack->data_format));
            // The ragged file is traced as the project's first fix feeds it: padded to 120 steps.
            if (!trace.ok() && !trace.error()->fixes.empty())
                trace = convscope::trace_stack(*stack, trace.error()->fixes.front().traced_on);
            QVERIFY2(trace.ok(), c.stack.c_str());
            QCOMPARE(trace.input.shape.to_string(), c.input_shape);
            int64_t traced_channels = -1;
            for (const auto& step : trace.steps)
                if (step.name == "conv1" && step.in)
                    traced_channels = step.in->shape[convscope::layer_support::channels_axis(stack->data_format)];
            QVERIFY2(traced_channels > 0, c.stack.c_str());
            auto r = call(run_export_command, {c.stack, "--to", "pytorch", "--data", c.data});
            QCOMPARE(r.status, 0);
            QVERIFY(has(r.out, "self.conv1 = nn.Conv1d(" + std::to_string(traced_channels) + ", "));
            QVERIFY(has(r.out, "INPUT_SHAPE = " + c.input_shape + "\n"));
            QVERIFY(has(r.out, "# Filled from the data the trace used"));
            QVERIFY(r.out.find("Assumed: the channel count") == std::string::npos);
            auto k = call(run_export_command, {c.stack, "--to", "keras", "--data", c.data});
            QCOMPARE(k.status, 0);
            QVERIFY(has(k.out, "INPUT_SHAPE = " + c.input_shape + "\n"));
            // The code runs with torch on that shape.
            const std::string printed = run_python(dir, r.out);
            QVERIFY2(printed.rfind("(" + c.input_shape.substr(1, c.input_shape.find(',') - 1) + ", ", 0) == 0,
                     printed.c_str());
        }
    }

    void writes_the_file_atomically() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.py").toStdString();
        std::ofstream(path) << "old contents";
        auto r = call(run_export_command, {stack_file, "--to", "pytorch", "--out", path});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.empty());
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        QVERIFY2(first.rfind("#", 0) == 0, first.c_str());  // a comment header, not the old contents
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary left behind
        r = call(run_export_command, {stack_file, "--to", "pytorch", "--out", dir.filePath("no/such/dir.py").toStdString()});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.find("no/such/dir.py") != std::string::npos);
    }

    void import_reads_keras_json() {
        auto r = call(run_import_command, {fixtures + "keras2_sequential.json"});
        QCOMPARE(r.status, 0);
        auto got = convscope::parse_stack_json(r.out, "stdout");
        auto expected = convscope::load_stack_file(fixtures + "keras2_sequential.expected.convscope.json");
        QVERIFY(got.ok() && expected.ok());
        QVERIFY(*got == *expected);
        r = call(run_import_command, {fixtures + "error_unknown_class.json"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("error_unknown_class.json") != std::string::npos, r.err.c_str());
    }

    void bad_usage_exits_two() {
        QCOMPARE(call(run_export_command, {stack_file}).status, 2);
        QCOMPARE(call(run_export_command, {stack_file, "--to", "onnx"}).status, 2);
        QCOMPARE(call(run_export_command, {"/nonexistent.json", "--to", "json"}).status, 2);
        QCOMPARE(call(run_import_command, {}).status, 2);
        QCOMPARE(call(run_import_command, {"/nonexistent.json"}).status, 2);
        QCOMPARE(call(run_export_command, {"--help"}).status, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
