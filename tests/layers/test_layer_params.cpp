// Parameter schemas and validation: unknown types and fields are errors that
// name the layer and the field, with a suggestion.
#include <QtTest>

#include <set>

#include "layers/layer_kind.hpp"
#include "layers/stack.hpp"

using namespace convscope;
using nlohmann::json;

namespace {
QString check(const LayerSpec& l) {
    auto st = validate_layer(l, 2);
    return st ? QString() : QString::fromStdString(st.error().message);
}
}  // namespace

class TestLayerParams : public QObject {
    Q_OBJECT
private slots:
    void catalogue_is_complete() {
        const std::set<std::string> expected{"Conv1D", "Conv1DTranspose", "DepthwiseConv1D", "SeparableConv1D",
                                             "MaxPooling1D", "AveragePooling1D", "GlobalMaxPooling1D",
                                             "GlobalAveragePooling1D", "ZeroPadding1D", "Cropping1D", "UpSampling1D",
                                             "Masking", "Permute", "Reshape", "Flatten", "Dense", "Activation",
                                             "Dropout", "BatchNormalization", "LayerNormalization"};
        const auto names = layer_type_names();
        QCOMPARE(std::set<std::string>(names.begin(), names.end()), expected);
        for (const auto* kind : layer_catalogue()) {
            QVERIFY2(!kind->summary().empty(), std::string(kind->type()).c_str());
            for (const auto& p : kind->params()) QVERIFY2(!p.help.empty(), (std::string(kind->type()) + "." + p.name).c_str());
        }
    }

    void unknown_type_names_layer_and_suggests() {
        const QString msg = check({"Conv1d", "c1", true, json::object()});
        QVERIFY2(msg.contains("layer 2 (\"c1\", Conv1d)"), qPrintable(msg));
        QVERIFY2(msg.contains("did you mean \"Conv1D\""), qPrintable(msg));
    }

    void unknown_parameter_names_field_and_suggests() {
        const QString msg = check({"Conv1D", "c1", true, {{"filters", 4}, {"kernel", 3}}});
        QVERIFY2(msg.contains("unknown parameter \"kernel\""), qPrintable(msg));
        QVERIFY2(msg.contains("did you mean \"kernel_size\""), qPrintable(msg));
    }

    void wrong_values_are_explained() {
        QString msg = check({"Conv1D", "c1", true, {{"filters", -3}, {"kernel_size", 3}}});
        QVERIFY2(msg.contains("field \"filters\"") && msg.contains("integer from 1 to 10000000") && msg.contains("-3"), qPrintable(msg));
        msg = check({"Conv1D", "c1", true, {{"filters", 4}, {"kernel_size", 3}, {"padding", "full"}}});
        QVERIFY2(msg.contains("field \"padding\"") && msg.contains("\"causal\""), qPrintable(msg));
        msg = check({"Conv1D", "c1", true, {{"filters", 4}, {"kernel_size", 3}, {"padding", {1, 2, 3}}}});
        QVERIFY2(msg.contains("[left, right]"), qPrintable(msg));
        msg = check({"Conv1D", "c1", true, {{"filters", 4}}});
        QVERIFY2(msg.contains("missing required field \"kernel_size\""), qPrintable(msg));
        msg = check({"Conv1D", "c1", true, {{"filters", 4}, {"kernel_size", 2.5}}});
        QVERIFY2(msg.contains("kernel_size"), qPrintable(msg));
        msg = check({"Conv1D", "c1", true, {{"filters", 5}, {"kernel_size", 3}, {"groups", 2}}});
        QVERIFY2(msg.contains("groups") && msg.contains("filters=5"), qPrintable(msg));
        msg = check({"Dropout", "d", true, {{"rate", 1.5}}});
        QVERIFY2(msg.contains("rate"), qPrintable(msg));
        msg = check({"Reshape", "r", true, {{"target_shape", {-1, -1}}}});
        QVERIFY2(msg.contains("at most one entry may be -1"), qPrintable(msg));
        msg = check({"Conv1DTranspose", "t", true, {{"filters", 2}, {"kernel_size", 3}, {"strides", 2}, {"output_padding", 2}}});
        QVERIFY2(msg.contains("output_padding"), qPrintable(msg));
        msg = check({"Flatten", "f", true, {{"axis", 1}}});
        QVERIFY2(msg.contains("Flatten takes no parameters"), qPrintable(msg));
        QVERIFY(check({"Conv1D", "c1", true, {{"filters", 4}, {"kernel_size", 3.0}, {"padding", {0, 2}}}}).isEmpty());
    }

    void stack_level_checks() {
        Stack s;
        s.layers = {{"Flatten", "x", true, json::object()}, {"Flatten", "x", true, json::object()}};
        auto st = validate_stack(s);
        QVERIFY(!st);
        QVERIFY(QString::fromStdString(st.error().message).contains("already used"));
        s.layers.pop_back();
        s.input_shape = Shape{kAnyDim, 0, 3};
        st = validate_stack(s);
        QVERIFY(!st);
        QVERIFY(QString::fromStdString(st.error().message).contains("input_shape"));
    }

    void keras_style_names() {
        Stack s;
        QCOMPARE(QString::fromStdString(unique_layer_name(s, "MaxPooling1D")), QString("max_pooling1d"));
        QCOMPARE(QString::fromStdString(unique_layer_name(s, "Conv1DTranspose")), QString("conv1d_transpose"));
        QCOMPARE(QString::fromStdString(unique_layer_name(s, "GlobalAveragePooling1D")), QString("global_average_pooling1d"));
        s.layers.push_back({"Conv1D", "conv1d", true, json::object()});
        QCOMPARE(QString::fromStdString(unique_layer_name(s, "Conv1D")), QString("conv1d_1"));
    }
};

QTEST_GUILESS_MAIN(TestLayerParams)
#include "test_layer_params.moc"
