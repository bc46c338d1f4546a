// convscope-cli run: options and exit statuses, and the files it writes, read back
// with NpyArray and checked against run_forward in process, against PyTorch (the
// golden .npz weights) and against the shape diagnosis when the stack does not fit.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/dataset_loader.hpp"
#include "data/npy_array.hpp"
#include "data/npy_writer.hpp"
#include "diagnosis/trace_input.hpp"
#include "forward/forward_pass.hpp"
#include "interop/stack_json.hpp"
#include "run_command.hpp"

using namespace convscope;
using convscope::cli::run_run_command;
using nlohmann::json;

namespace {
struct Run {
    int status;
    std::string out, err;
};
Run run(std::vector<std::string> args) {
    std::ostringstream out, err;
    const int status = run_run_command(args, out, err);
    return {status, out.str(), err.str()};
}
const std::string stacks = CONVSCOPE_RESOURCES_DIR "/stacks/";
const std::string samples = CONVSCOPE_RESOURCES_DIR "/samples/";
const std::string golden = CONVSCOPE_SOURCE_DIR "/tests/golden/forward/";

struct Array {
    std::vector<int64_t> shape;
    std::vector<float> values;
};
Array read_npy(const std::string& path) {
    auto a = data::NpyArray::open(path);
    if (!a) qFatal("cannot read %s: %s", path.c_str(), a.error().message.c_str());
    Array r{a->shape(), std::vector<float>(static_cast<size_t>(a->size()))};
    a->read_range(0, r.values);
    return r;
}
bool has(const std::string& hay, const std::string& needle) {
    if (hay.find(needle) != std::string::npos) return true;
    qWarning("\"%s\" not in: %s", needle.c_str(), hay.c_str());
    return false;
}
std::string write_text(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path) << text;
    return path;
}
}  // namespace

class TestCliRun : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const std::string& name) { return dir_.filePath(QString::fromStdString(name)).toStdString(); }

private slots:
    void help_documents_every_option() {
        auto r = run({"--help"});
        QCOMPARE(r.status, 0);
        for (const char* o : {"--input", "--out", "--weights", "--init keras|pytorch", "--seed", "--dump-dir",
                              ".mask.npy", ".contamination.npy", "Exit status", "convscope-cli pad"})
            QVERIFY(has(r.out, o));
    }

    void bad_usage_exits_two() {
        const std::string stack = stacks + "sensor_classifier.convscope.json";
        const std::string csv = samples + "sensor_recording.csv";
        QCOMPARE(run({}).status, 2);
        QCOMPARE(run({stack, "--input", csv}).status, 2);  // no --out
        QCOMPARE(run({stack, "--out", path("x.npy")}).status, 2);  // no --input
        auto unknown = run({stack, "--input", csv, "--out", path("x.npy"), "--frobnicate"});
        QCOMPARE(unknown.status, 2);
        QVERIFY(has(unknown.err, "unknown option --frobnicate"));
        auto init = run({stack, "--input", csv, "--out", path("x.npy"), "--init", "xavier"});
        QCOMPARE(init.status, 2);
        QVERIFY(has(init.err, "keras or pytorch"));
        QCOMPARE(run({stack, "--input", csv, "--out", path("x.npy"), "--seed", "-3"}).status, 2);
        auto both = run({stack, "--input", csv, "--out", path("x.npy"), "--weights", "w.npz", "--seed", "1"});
        QCOMPARE(both.status, 2);
        QVERIFY(has(both.err, "cannot be combined"));
        QCOMPARE(run({stack, "--input", csv, "--out"}).status, 2);  // value missing
        auto no_stack = run({"missing.convscope.json", "--input", csv, "--out", path("x.npy")});
        QCOMPARE(no_stack.status, 2);
        QVERIFY(has(no_stack.err, "missing.convscope.json"));
        auto no_data = run({stack, "--input", path("nothing.npy"), "--out", path("x.npy")});
        QCOMPARE(no_data.status, 2);
        QVERIFY(has(no_data.err, "nothing.npy"));
        auto no_weights = run({stack, "--input", csv, "--out", path("x.npy"), "--weights", path("none.npz")});
        QCOMPARE(no_weights.status, 2);
        QVERIFY(!QFile::exists(QString::fromStdString(path("x.npy"))));
        auto unwritable = run({stack, "--input", csv, "--out", path("no/such/dir/y.npy")});
        QCOMPARE(unwritable.status, 2);
    }

    // The bundled sample: a CSV recording of 500 x 3 becomes one (1, 500, 3) batch.
    void sample_classifier_matches_run_forward() {
        const std::string stack_path = stacks + "sensor_classifier.convscope.json";
        auto r = run({stack_path, "--input", samples + "sensor_recording.csv", "--out", path("probs.npy")});
        QCOMPARE(r.status, 0);
        QVERIFY(has(r.out, "wrote"));
        QVERIFY(has(r.out, "(1, 500, 3)"));
        QVERIFY(r.err.empty());  // a run under a second prints no progress
        const Array y = read_npy(path("probs.npy"));
        QCOMPARE(y.shape, (std::vector<int64_t>{1, 4}));
        float sum = 0;
        for (float v : y.values) sum += v;
        QVERIFY(std::abs(sum - 1.0f) < 1e-5f);  // softmax

        // The same through the engine: Keras initialisation, seed 0, is the default.
        auto stack = load_stack_file(stack_path);
        auto data = data::load_dataset(samples + "sensor_recording.csv");
        QVERIFY(stack && data);
        const auto seq = data->sequence(0);
        Tensor x(Shape{1, seq.length, seq.channels}, seq.values);
        const Trace t = trace_stack(*stack, TraceInput::uniform(x.shape), {false, false});
        auto f = run_forward(*stack, x, initialise_weights(*stack, t, InitScheme::Keras, 0));
        QVERIFY(f && f->ok());
        QCOMPARE(y.values, f->outputs.back().value.data);

        // Seeds and schemes are honoured.
        QCOMPARE(run({stack_path, "--input", samples + "sensor_recording.csv", "--out", path("p0.npy"), "--seed", "0"}).status, 0);
        QCOMPARE(read_npy(path("p0.npy")).values, y.values);
        QCOMPARE(run({stack_path, "--input", samples + "sensor_recording.csv", "--out", path("p1.npy"), "--seed", "1"}).status, 0);
        QVERIFY(read_npy(path("p1.npy")).values != y.values);
        auto torch = run({stack_path, "--input", samples + "sensor_recording.csv", "--out", path("pt.npy"), "--init", "pytorch"});
        QCOMPARE(torch.status, 0);
        QVERIFY(has(torch.out, "PyTorch default"));
        QVERIFY(read_npy(path("pt.npy")).values != y.values);
    }

    void dump_dir_holds_every_layer_with_masks_and_contamination() {
        // Post-padded batch: sequence 1 has zeros from step 6 on, which Masking masks.
        const std::string stack = write_text(dir_, "masked.convscope.json", R"({
            "format": "convscope-stack", "version": 1, "name": "m", "data_format": "channels_last", "input_shape": null,
            "layers": [
                {"type": "Masking", "name": "mask"},
                {"type": "Dense", "name": "per step", "units": 3, "activation": "relu"},
                {"type": "Conv1D", "name": "conv", "filters": 2, "kernel_size": 3},
                {"type": "GlobalAveragePooling1D", "name": "gap"}]})");
        std::vector<float> x(2 * 10 * 2);
        for (size_t i = 0; i < x.size(); ++i) x[i] = 0.1f * float(i % 7) + 0.3f;
        for (int64_t t = 6; t < 10; ++t) x[size_t((10 + t) * 2)] = x[size_t((10 + t) * 2 + 1)] = 0.0f;
        QVERIFY(data::write_npy(path("batch.npy"), {2, 10, 2}, x));
        const std::string dump = path("dump");
        auto r = run({stack, "--input", path("batch.npy"), "--out", path("final.npy"), "--dump-dir", dump});
        QCOMPARE(r.status, 0);
        QVERIFY(has(r.out, dump));
        QCOMPARE(read_npy(dump + "/00_mask.npy").shape, (std::vector<int64_t>{2, 10, 2}));
        QCOMPARE(read_npy(dump + "/01_per_step.npy").shape, (std::vector<int64_t>{2, 10, 3}));  // name made file-safe
        QCOMPARE(read_npy(dump + "/02_conv.npy").shape, (std::vector<int64_t>{2, 8, 2}));
        const Array gap = read_npy(dump + "/03_gap.npy");
        QCOMPARE(gap.shape, (std::vector<int64_t>{2, 2}));
        QCOMPARE(read_npy(path("final.npy")).values, gap.values);
        // Masks: after Masking and the per-step Dense; Conv1D drops it.
        const Array mask = read_npy(dump + "/00_mask.mask.npy");
        QCOMPARE(mask.shape, (std::vector<int64_t>{2, 10}));
        const std::vector<float> expected_mask{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0};
        QCOMPARE(mask.values, expected_mask);
        QCOMPARE(read_npy(dump + "/01_per_step.mask.npy").values, expected_mask);
        QVERIFY(!QFile::exists(QString::fromStdString(dump + "/02_conv.mask.npy")));
        // Contamination: the masked steps, then conv outputs reading them (k3 valid: from step 4).
        QCOMPARE(read_npy(dump + "/00_mask.contamination.npy").values,
                 (std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
        QCOMPARE(read_npy(dump + "/02_conv.contamination.npy").values,
                 (std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
        QCOMPARE(read_npy(dump + "/03_gap.contamination.npy").values, (std::vector<float>{0, 1}));
        QCOMPARE(read_npy(dump + "/03_gap.contamination.npy").shape, (std::vector<int64_t>{2, 1}));
    }

    void pytorch_weights_reproduce_torch() {
        const json cases = json::parse(std::ifstream(golden + "weights.json"))["cases"];
        for (const auto& c : cases) {
            if (c["name"] != "weights_stack") continue;
            const std::string stack = write_text(dir_, "golden.convscope.json", c["stack"].dump());
            const auto shape = c["input"]["shape"].get<std::vector<int64_t>>();
            QVERIFY(data::write_npy(path("golden_in.npy"), shape, c["input"]["data"].get<std::vector<float>>()));
            const auto expected = c["output"]["data"].get<std::vector<float>>();
            for (const char* file : {"stack_torch.npz", "stack_keras.npz"}) {
                auto r = run({stack, "--input", path("golden_in.npy"), "--out", path("golden_out.npy"), "--weights",
                              golden + file});
                QCOMPARE(r.status, 0);
                QVERIFY(has(r.out, file));
                const Array y = read_npy(path("golden_out.npy"));
                QCOMPARE(y.shape, c["output"]["shape"].get<std::vector<int64_t>>());
                for (size_t i = 0; i < expected.size(); ++i)
                    QVERIFY(std::abs(y.values[i] - expected[i]) <= 1e-4f * std::max(1.0f, std::abs(expected[i])));
            }
            auto bad = run({stack, "--input", path("golden_in.npy"), "--out", path("bad.npy"), "--weights",
                            golden + "error_shape.npz"});
            QCOMPARE(bad.status, 2);
            QVERIFY(has(bad.err, "layer \"conv1\""));
            QVERIFY(has(bad.err, "expected (4, 3, 3)"));
            return;
        }
        QFAIL("no weights_stack case");
    }

    void stack_that_does_not_fit_exits_one_with_the_diagnosis() {
        auto r = run({stacks + "transposed_input.convscope.json", "--input", samples + "transposed_batch.npy", "--out",
                      path("t.npy")});
        QCOMPARE(r.status, 1);
        QVERIFY(has(r.out, "Transposed input on axis 2 (channels)"));
        QVERIFY(has(r.out, "Fixes"));
        QVERIFY(!QFile::exists(QString::fromStdString(path("t.npy"))));
    }

    void ragged_data_exits_one_suggesting_pad() {
        auto r = run({stacks + "ragged_batch.convscope.json", "--input", samples + "ragged_labelled.ts", "--out",
                      path("r.npy")});
        QCOMPARE(r.status, 1);
        QVERIFY(has(r.out, "Ragged lengths"));
        QVERIFY(has(r.out, "convscope-cli pad " + samples + "ragged_labelled.ts"));
    }

    // Without --dump-dir a length-local stack streams; the result agrees with the layer-by-layer run.
    void streams_when_it_can() {
        const std::string stack = write_text(dir_, "convs.convscope.json", R"({
            "format": "convscope-stack", "version": 1, "name": "c", "data_format": "channels_first", "input_shape": null,
            "layers": [
                {"type": "Conv1D", "name": "a", "filters": 4, "kernel_size": 5, "padding": "same"},
                {"type": "MaxPooling1D", "name": "p", "pool_size": 2},
                {"type": "Conv1D", "name": "b", "filters": 2, "kernel_size": 3, "padding": "causal"}]})");
        std::vector<float> x(3 * 2 * 200000);
        for (size_t i = 0; i < x.size(); ++i) x[i] = float((i * 7919) % 1000) / 500.0f - 1.0f;
        QVERIFY(data::write_npy(path("long.npy"), {3, 2, 200000}, x));
        auto streamed = run({stack, "--input", path("long.npy"), "--out", path("s.npy"), "--init", "pytorch"});
        QCOMPARE(streamed.status, 0);
        QVERIFY(has(streamed.out, "streamed along the length"));
        auto whole = run({stack, "--input", path("long.npy"), "--out", path("w.npy"), "--init", "pytorch", "--dump-dir",
                          path("long_dump")});
        QCOMPARE(whole.status, 0);
        QVERIFY(has(whole.out, "layer by layer"));
        const Array s = read_npy(path("s.npy")), w = read_npy(path("w.npy"));
        QCOMPARE(s.shape, (std::vector<int64_t>{3, 2, 100000}));
        QCOMPARE(s.shape, w.shape);
        float top = 0, worst = 0;
        for (size_t i = 0; i < s.values.size(); ++i) {
            top = std::max(top, std::abs(w.values[i]));
            worst = std::max(worst, std::abs(s.values[i] - w.values[i]));
        }
        QVERIFY(worst <= 1e-6f * top);
        // A stack with global pooling cannot stream and runs layer by layer.
        auto gap = run({stacks + "sensor_classifier.convscope.json", "--input", samples + "sensor_recording.csv",
                        "--out", path("g.npy")});
        QVERIFY(has(gap.out, "layer by layer"));
    }

    void collections_follow_the_stack_format() {
        // The CSV is one sequence of 500 steps x 3 channels: channels_first lays it out (1, 3, 500).
        const std::string stack = write_text(dir_, "cf.convscope.json", R"({
            "format": "convscope-stack", "version": 1, "name": "cf", "data_format": "channels_first", "input_shape": null,
            "layers": [{"type": "Conv1D", "name": "c", "filters": 1, "kernel_size": 1, "use_bias": false}]})");
        auto r = run({stack, "--input", samples + "sensor_recording.csv", "--out", path("cf.npy"), "--dump-dir", path("cf")});
        QCOMPARE(r.status, 0);
        QVERIFY(has(r.out, "(1, 3, 500)"));
        QCOMPARE(read_npy(path("cf.npy")).shape, (std::vector<int64_t>{1, 1, 500}));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "test_cli_run.moc"
