// convscope-cli trace: exit statuses, the JSON contract, and messages on bad input.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>
#include <sstream>

#include "data/npy_writer.hpp"
#include "trace_command.hpp"
#include <nlohmann/json.hpp>

using convscope::cli::run_trace_command;
using nlohmann::json;

namespace {
struct Run {
    int status;
    std::string out, err;
};
Run trace(std::vector<std::string> args) {
    std::ostringstream out, err;
    const int status = run_trace_command(args, out, err);
    return {status, out.str(), err.str()};
}
const std::string stacks = CONVSCOPE_RESOURCES_DIR "/stacks/";
const std::string samples = CONVSCOPE_RESOURCES_DIR "/samples/";
}  // namespace

class TestCliTrace : public QObject {
    Q_OBJECT
private slots:
    // Issue 9: a 1-D recording of 108,000 samples (the data panel: 1 sequence x 1 channel) was
    // traced as (108000,) with "Wrong number of axes" and no fix.
    void one_d_recording_is_offered_its_axes() {
        QTemporaryDir dir;
        const std::string ecg = dir.filePath("ecg.npy").toStdString();
        std::vector<float> values(108000);
        for (size_t i = 0; i < values.size(); ++i) values[i] = float(i % 360) / 360.0f;
        QVERIFY(convscope::data::write_npy(ecg, {108000}, values));
        const std::string stack = dir.filePath("ecg.json").toStdString();
        std::ofstream(stack) << R"({"format": "convscope-stack", "version": 1, "data_format": "channels_last",
            "input_shape": [null, null, 1], "layers": [
            {"type": "Conv1D", "name": "conv1", "filters": 8, "kernel_size": 7, "activation": "relu"},
            {"type": "MaxPooling1D", "name": "pool1", "pool_size": 4},
            {"type": "GlobalAveragePooling1D", "name": "gap"},
            {"type": "Dense", "name": "out", "units": 1}]})";
        auto r = trace({stack, "--data", ecg, "--json"});
        QCOMPARE(r.status, 1);
        const json j = json::parse(r.out);
        const auto& fixes = j["steps"][0]["error"]["fixes"];
        QVERIFY2(!fixes.empty(), r.out.c_str());
        QCOMPARE(fixes[0]["id"], json("add-batch-and-channel-axes"));
        QCOMPARE(fixes[0]["data_change"]["description"], json("add batch and channel axes: (1, 108000, 1)"));
        auto text = trace({stack, "--data", ecg});
        QVERIFY2(text.out.find("Add batch and channel axes: reshape the data to (1, 108000, 1)") != std::string::npos,
                 text.out.c_str());
    }

    void passing_trace_exits_zero() {
        auto r = trace({stacks + "sensor_classifier.convscope.json", "--input-shape", "4,128,3"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("OK: every layer accepts its input") != std::string::npos);
        QVERIFY(r.out.find("(4, 128, 16)") != std::string::npos);
    }

    void json_contract_for_transposed_input() {
        auto r = trace({stacks + "transposed_input.convscope.json", "--input", samples + "transposed_batch.npy", "--json"});
        QCOMPARE(r.status, 1);
        const json j = json::parse(r.out);
        QCOMPARE(j["ok"].get<bool>(), false);
        const auto& steps = j["steps"];
        QCOMPARE(steps.size(), size_t(6));  // Input + 5 layers
        QCOMPARE(steps[0]["type"], json("Input"));
        QCOMPARE(steps[0]["declared"], json::parse("[null, 100, 5]"));
        QCOMPARE(steps[0]["actual"], json::parse("[32, 5, 100]"));
        const auto& e = steps[0]["error"];
        QCOMPARE(e["axis"], json(2));
        QCOMPARE(e["role"], json("channels"));
        QCOMPARE(e["expected"], json("5 channels"));
        QCOMPARE(e["actual"], json("100 channels"));
        QVERIFY(e["message"].get<std::string>().find("transposed") != std::string::npos);
        QVERIFY(e["framework_message"].get<std::string>().find("expected shape=(None, 100, 5)") != std::string::npos);
        QVERIFY(e["fixes"].size() >= 2);
        QCOMPARE(e["fixes"][0]["id"], json("transpose-input"));
        QCOMPARE(e["fixes"][0]["stack"]["layers"][0]["type"], json("Permute"));
        QVERIFY(e["fixes"][0].contains("description"));
        for (size_t i = 1; i < steps.size(); ++i) {
            QCOMPARE(steps[i]["index"], json(i - 1));
            QVERIFY(steps[i]["out_shape"].is_null());  // nothing downstream of the failure can be computed
            QVERIFY(steps[i].contains("params") && steps[i].contains("receptive_field"));
        }
    }

    void layer_failure_in_json() {
        auto r = trace({stacks + "channel_mismatch.convscope.json", "--input", samples + "three_channel.npy", "--json"});
        QCOMPARE(r.status, 1);
        const json j = json::parse(r.out);
        const auto& e = j["steps"][1]["error"];
        QCOMPARE(j["steps"][1]["name"], json("conv1"));
        QCOMPARE(j["steps"][1]["in_shape"], json::parse("[8, 64, 3]"));
        QCOMPARE(e["kind"], json("channel_mismatch"));
        QCOMPARE(e["axis"], json(2));
        QCOMPARE(e["fixes"][0]["stack"]["layers"][0]["in_channels"], json(3));
    }

    void ragged_dataset_from_ts_file() {
        auto r = trace({stacks + "ragged_batch.convscope.json", "--input", samples + "ragged_labelled.ts", "--json"});
        QCOMPARE(r.status, 1);
        const json j = json::parse(r.out);
        QCOMPARE(j["steps"][0]["error"]["kind"], json("ragged_batch"));
        QCOMPARE(j["steps"][0]["error"]["axis"], json(1));
        QVERIFY(j["steps"][0]["lengths"].size() > 2);
        QCOMPARE(j["steps"][0]["error"]["fixes"][0]["data_change"]["kind"], json("pad"));
    }

    void declared_shape_is_the_default_input() {
        auto r = trace({stacks + "too_short.convscope.json"});
        QCOMPARE(r.status, 1);
        QVERIFY(r.out.find("Sequence shorter than the layer's reach on axis 1 (length)") != std::string::npos);
        QVERIFY(r.out.find("Shortest input accepted: 38 steps") != std::string::npos);
    }

    void bad_usage_and_unreadable_files_exit_two() {
        auto r = trace({});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.find("missing STACK.json") != std::string::npos);
        r = trace({stacks + "transposed_input.convscope.json", "--input-shape", "32,x,5"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("shape entry 2 (\"x\")") != std::string::npos, r.err.c_str());
        r = trace({stacks + "transposed_input.convscope.json", "--bogus"});
        QCOMPARE(r.status, 2);
        r = trace({"/nonexistent/stack.json"});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.find("/nonexistent/stack.json") != std::string::npos);
        QTemporaryDir dir;
        const std::string bad = dir.filePath("bad.json").toStdString();
        std::ofstream(bad) << "{\"layers\": [ {\"type\": \"Conv1D\", \"filters\": 4} ]}";
        r = trace({bad, "--input-shape", "1,10,1"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("missing required field \"kernel_size\"") != std::string::npos, r.err.c_str());
        const std::string junk = dir.filePath("junk.npy").toStdString();
        std::ofstream(junk) << "not numpy";
        r = trace({stacks + "transposed_input.convscope.json", "--input", junk});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("junk.npy") != std::string::npos, r.err.c_str());
        r = trace({stacks + "sensor_classifier.convscope.json"});  // declared length is open
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("is open") != std::string::npos, r.err.c_str());
    }

    void help_documents_the_json_fields() {
        auto r = trace({"--help"});
        QCOMPARE(r.status, 0);
        for (const char* word : {"--input-shape", "--input", "--json", "framework_message", "fixes", "Exit status"})
            QVERIFY2(r.out.find(word) != std::string::npos, word);
    }
};

QTEST_GUILESS_MAIN(TestCliTrace)
#include "test_cli_trace.moc"
