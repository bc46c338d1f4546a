// The stack file format: round trips, and errors that name the place.
#include <QtTest>

#include <QTemporaryDir>
#include <filesystem>
#include <fstream>

#include "interop/stack_json.hpp"
#include "layers/layer_kind.hpp"

using namespace convscope;

namespace {
QString error_of(const char* text) {
    auto r = parse_stack_json(text, "model.json");
    return r ? QString() : QString::fromStdString(r.error().message);
}
}  // namespace

class TestStackJson : public QObject {
    Q_OBJECT
private slots:
    void parses_and_round_trips() {
        const char* text = R"({
          "format": "convscope-stack", "version": 1, "name": "demo",
          "data_format": "channels_first", "input_shape": [null, 4, 100],
          "layers": [
            {"type": "Conv1D", "name": "c1", "filters": 8, "kernel_size": 3, "padding": [1, 2], "padding_mode": "reflect"},
            {"type": "Dropout", "enabled": false},
            {"type": "Flatten"}
          ]})";
        auto stack = parse_stack_json(text, "demo.json");
        QVERIFY2(stack.ok(), stack ? "" : stack.error().message.c_str());
        QCOMPARE(stack->data_format, DataFormat::ChannelsFirst);
        QCOMPARE(*stack->input_shape, (Shape{kAnyDim, 4, 100}));
        QCOMPARE(stack->layers.size(), size_t(3));
        QCOMPARE(QString::fromStdString(stack->layers[1].name), QString("dropout"));  // named like Keras
        QVERIFY(!stack->layers[1].enabled);
        QCOMPARE(stack->layers[0].params["padding"], nlohmann::json({1, 2}));
        const std::string written = stack_to_json_text(*stack);
        auto again = parse_stack_json(written, "again.json");
        QVERIFY(again.ok());
        QVERIFY(*again == *stack);
        // Keys are written in a readable order: type and name first.
        QVERIFY(written.find("\"type\": \"Conv1D\",\n      \"name\": \"c1\"") != std::string::npos);
    }

    void every_bundled_stack_loads() {
        int count = 0;
        for (const auto& e : std::filesystem::directory_iterator(CONVSCOPE_RESOURCES_DIR "/stacks")) {
            auto s = load_stack_file(e.path());
            QVERIFY2(s.ok(), s ? "" : s.error().message.c_str());
            ++count;
        }
        QVERIFY(count >= 6);
    }

    void syntax_errors_give_line_and_column() {
        const QString msg = error_of("{\n  \"layers\": [\n    {\"type\": \"Conv1D\",, }\n  ]\n}");
        QVERIFY2(msg.startsWith("model.json: not valid JSON at line 3, column"), qPrintable(msg));
    }

    void schema_errors_name_layer_and_field() {
        QString msg = error_of(R"({"layers": [{"type": "Conv1D", "name": "c", "filters": 4, "kernel_size": 3, "stride": 2}]})");
        QVERIFY2(msg.contains("model.json: layer 0 (\"c\", Conv1D): unknown parameter \"stride\""), qPrintable(msg));
        QVERIFY2(msg.contains("did you mean \"strides\""), qPrintable(msg));
        msg = error_of(R"({"layers": [{"name": "x"}]})");
        QVERIFY2(msg.contains("layer 0: missing field \"type\""), qPrintable(msg));
        msg = error_of(R"({"data_format": "NCL", "layers": []})");
        QVERIFY2(msg.contains("field \"data_format\"") && msg.contains("channels_first"), qPrintable(msg));
        msg = error_of(R"({"input_shape": [null, 0, 3], "layers": []})");
        QVERIFY2(msg.contains("field \"input_shape\""), qPrintable(msg));
        msg = error_of(R"({"version": 7, "layers": []})");
        QVERIFY2(msg.contains("newer"), qPrintable(msg));
        msg = error_of(R"({"layer": []})");
        QVERIFY2(msg.contains("unknown field \"layer\""), qPrintable(msg));
        msg = error_of(R"([1, 2])");
        QVERIFY2(msg.contains("expected a JSON object"), qPrintable(msg));
        msg = error_of(R"({"layers": [{"type": "Flatten", "name": "f"}, {"type": "Flatten", "name": "f"}]})");
        QVERIFY2(msg.contains("layer 1 (\"f\", Flatten)") && msg.contains("already used"), qPrintable(msg));
    }

    void saving_is_atomic_and_keeps_the_old_file_on_failure() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("model.convscope.json").toStdString();
        Stack s;
        s.layers.push_back({"Flatten", "f", true, nlohmann::json::object()});
        QVERIFY(save_stack_file(path, s).ok());
        auto back = load_stack_file(path);
        QVERIFY(back.ok());
        QVERIFY(*back == s);
        // Only the target is left: no temporary files.
        QCOMPARE(std::distance(std::filesystem::directory_iterator(dir.path().toStdString()), {}), 1L);
        // A save into a folder that does not exist fails with the path in the message.
        auto st = save_stack_file(dir.filePath("missing/model.json").toStdString(), s);
        QVERIFY(!st.ok());
        QVERIFY(QString::fromStdString(st.error().message).contains("missing/model.json"));
        auto missing = load_stack_file(dir.filePath("nope.json").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error().message).contains("nope.json"));
    }
};

QTEST_GUILESS_MAIN(TestStackJson)
#include "test_stack_json.moc"
