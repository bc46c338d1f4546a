// Keras model JSON import: hand-written fixtures in the layouts Keras 2 and 3
// write (tests/interop/fixtures/) become the expected stacks; unsupported
// models are errors that name the layer and the field.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "interop/code_export.hpp"
#include "interop/keras_json_import.hpp"
#include "interop/stack_json.hpp"

using namespace convscope;

namespace {

const std::string kFixtures = CONVSCOPE_SOURCE_DIR "/tests/interop/fixtures/";

std::string read_fixture(const std::string& name) {
    std::ifstream in(kFixtures + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

QString import_error(const std::string& text) {
    auto r = import_keras_model_json(text, "model.json");
    return r ? QString() : QString::fromStdString(r.error().message);
}

// A Sequential model around one layer config, for the error cases.
std::string one_layer_model(const std::string& layer) {
    return R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 20, 3], "name": "input_1"}}, )" +
           layer + "]}}";
}

}  // namespace

class TestKerasImport : public QObject {
    Q_OBJECT
private slots:
    void fixtures_import_to_the_expected_stack_data() {
        QTest::addColumn<QString>("fixture");
        for (const char* f : {"keras2_sequential", "keras3_sequential", "keras2_functional_channels_first",
                              "keras3_functional", "keras2_legacy_sequential"})
            QTest::newRow(f) << QString(f);
    }
    void fixtures_import_to_the_expected_stack() {
        QFETCH(QString, fixture);
        const std::string name = fixture.toStdString();
        auto imported = import_keras_model_json(read_fixture(name + ".json"), name + ".json");
        QVERIFY2(imported.ok(), imported ? "" : imported.error().message.c_str());
        auto expected = parse_stack_json(read_fixture(name + ".expected.convscope.json"), name);
        QVERIFY2(expected.ok(), expected ? "" : expected.error().message.c_str());
        if (!(*imported == *expected))
            QFAIL(("imported:\n" + stack_to_json_text(*imported) + "expected:\n" + stack_to_json_text(*expected)).c_str());
        // The imported stack survives the stack format and exports to both frameworks.
        auto again = parse_stack_json(stack_to_json_text(*imported), "again");
        QVERIFY(again.ok() && *again == *imported);
        QVERIFY(export_pytorch(*imported).find("class ") != std::string::npos);
        QVERIFY(export_keras(*imported).find("def build_model():") != std::string::npos);
    }

    void imported_models_trace() {
        auto stack = import_keras_model_json(read_fixture("keras2_sequential.json"), "k2");
        QVERIFY(stack.ok());
        const Trace t = trace_stack(*stack, TraceInput::uniform(Shape{1, 100, 5}));
        QVERIFY(t.ok());
        QCOMPARE(t.steps.back().out->shape, (Shape{1, 4}));
    }

    void unknown_class_names_the_layer_and_class() {
        const QString msg = import_error(read_fixture("error_unknown_class.json"));
        QVERIFY2(msg.startsWith("model.json: layer 1 (\"lstm\", LSTM): field \"class_name\": \"LSTM\" is not a layer "
                                "type ConvScope knows"),
                 qPrintable(msg));
        QVERIFY2(msg.contains("Conv1D, Conv1DTranspose"), qPrintable(msg));
    }

    void branching_models_are_refused() {
        const QString msg = import_error(read_fixture("error_branching.json"));
        QVERIFY2(msg.contains("layer \"add\" (Add)") && msg.contains("takes 2 inputs") && msg.contains("linear"),
                 qPrintable(msg));
    }

    void two_dimensional_kernels_are_refused() {
        const QString msg = import_error(read_fixture("error_kernel_2d.json"));
        QVERIFY2(msg.contains("(\"conv\", Conv1D): field \"kernel_size\": expected one value for a 1D layer, got [3,3]"),
                 qPrintable(msg));
    }

    void unsupported_configs_name_the_field() {
        QString msg = import_error(one_layer_model(
            R"({"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "hard_sigmoid"}})"));
        QVERIFY2(msg.contains("(\"d\", Dense): field \"activation\": \"hard_sigmoid\" is not supported"), qPrintable(msg));
        msg = import_error(one_layer_model(
            R"({"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5, "noise_shape": [null, 1, 3]}})"));
        QVERIFY2(msg.contains("(\"drop\", Dropout): field \"noise_shape\""), qPrintable(msg));
        msg = import_error(one_layer_model(
            R"({"class_name": "MaxPooling1D", "config": {"name": "p", "pool_size": [2], "padding": "causal"}})"));
        QVERIFY2(msg.contains("(\"p\", MaxPooling1D): field \"padding\": expected \"valid\" or \"same\""), qPrintable(msg));
        msg = import_error(one_layer_model(
            R"({"class_name": "LayerNormalization", "config": {"name": "ln", "axis": [1, 2]}})"));
        QVERIFY2(msg.contains("(\"ln\", LayerNormalization): field \"axis\""), qPrintable(msg));
        msg = import_error(one_layer_model(R"({"class_name": "Conv1D", "config": {"name": "c", "kernel_size": [3]}})"));
        QVERIFY2(msg.contains("(\"c\", Conv1D): field \"filters\": missing"), qPrintable(msg));
    }

    void mixed_layouts_are_refused() {
        const QString msg = import_error(one_layer_model(
            R"({"class_name": "Conv1D", "config": {"name": "a", "filters": 2, "kernel_size": [3], "data_format": "channels_first"}},
               {"class_name": "Conv1D", "config": {"name": "b", "filters": 2, "kernel_size": [3], "data_format": "channels_last"}})"));
        QVERIFY2(msg.contains("layer \"b\" (Conv1D): field \"data_format\": \"channels_last\", but layer \"a\" is "
                              "\"channels_first\""),
                 qPrintable(msg));
    }

    void not_a_model_is_refused() {
        QVERIFY(import_error("[1, 2]").contains("not a Keras model JSON"));
        QVERIFY(import_error("{\"class_name\": \"Conv1D\", \"config\": {}}").contains("\"Sequential\" or \"Functional\""));
        QVERIFY(import_error("{not json").startsWith("model.json: not valid JSON"));
    }
};

QTEST_GUILESS_MAIN(TestKerasImport)
#include "test_keras_import.moc"
