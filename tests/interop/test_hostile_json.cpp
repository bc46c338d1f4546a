// Hostile stack and Keras JSON: nesting far beyond any real file, megabyte-long
// strings. Each must end in a short message naming the file, quickly, not a crash.
#include <QtTest>

#include <chrono>
#include <string>

#include "common/json_input.hpp"
#include "interop/keras_json_import.hpp"
#include "interop/stack_json.hpp"
#include "layers/layer_kind.hpp"
#include "layers/param_info.hpp"

using namespace convscope;

namespace {

std::string nested(int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

std::string stack_with_layer_field(const std::string& field, const std::string& value) {
    return "{\"format\": \"convscope-stack\", \"input_shape\": [null, 100, 4], \"layers\": [{\"type\": \"Conv1D\", \"filters\": 8, \"kernel_size\": 3, \"" +
           field + "\": " + value + "}]}";
}

std::string keras_with_conv_field(const std::string& field, const std::string& value) {
    return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"m\", \"layers\": [\n        {\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 100, 4], \"name\": \"in\"}},\n        {\"class_name\": \"Conv1D\", \"config\": {\"name\": \"c\", \"filters\": 8, \"kernel_size\": [3], \"" +
           field + "\": " + value + "}}]}}";
}

// The message, which must name the file and stay short.
QString refused(const Result<Stack>& r, const char* file) {
    if (r.ok()) return "accepted";
    const QString m = QString::fromStdString(r.error().message);
    if (!m.startsWith(file)) return "does not name the file: " + m.left(200);
    if (m.size() > 1000) return "message of " + QString::number(m.size()) + " characters";
    return m;
}

}  // namespace

class TestHostileJson : public QObject {
    Q_OBJECT
private slots:
    void nesting_limit_counts_brackets_outside_strings() {
        QVERIFY(parse_json_text(nested(kMaxJsonDepth), "a.json").ok());
        auto deep = parse_json_text(nested(kMaxJsonDepth + 1), "a.json");
        QVERIFY(!deep.ok());
        QVERIFY2(deep.error().message.find("nested deeper than 100 levels at line 1, column 101") != std::string::npos,
                 deep.error().message.c_str());
        // Brackets inside a string are text, escaped quotes do not end it.
        const std::string in_string = "[\"" + std::string(500, '[') + "\\\"" + std::string(500, char(0x7b))  /* '{': moc miscounts a brace literal */ + "\"]";
        QVERIFY(parse_json_text(in_string, "a.json").ok());
    }

    // A bad input_shape is quoted in part, like any other bad value: a 5 MB entry
    // or 200,000 entries must not come back as a message of the same size.
    void huge_input_shapes_are_refused_with_an_excerpt() {
        const std::string many = "{\"format\": \"convscope-stack\", \"input_shape\": [null" +
                                 [] { std::string s; for (int i = 0; i < 200000; ++i) s += ", 5"; return s; }() +
                                 "], \"layers\": [{\"type\": \"Dense\", \"units\": 2}]}";
        QString m = refused(parse_stack_json(many, "many.convscope.json"), "many.convscope.json");
        QVERIFY2(m.contains("expected 2 to 4 entries (batch first), got 200001"), qPrintable(m));
        const std::string long_entry = "{\"format\": \"convscope-stack\", \"input_shape\": [null, 100, \"" +
                                       std::string(5000000, 'x') + "\"], \"layers\": [{\"type\": \"Dense\", \"units\": 2}]}";
        m = refused(parse_stack_json(long_entry, "long.convscope.json"), "long.convscope.json");
        QVERIFY2(m.contains("(5000000 characters)"), qPrintable(m.left(300)));
        const std::string not_a_list = "{\"format\": \"convscope-stack\", \"input_shape\": \"" +
                                       std::string(1000000, 'y') + "\", \"layers\": [{\"type\": \"Dense\", \"units\": 2}]}";
        m = refused(parse_stack_json(not_a_list, "str.convscope.json"), "str.convscope.json");
        QVERIFY2(m.contains("expected a list such as [null, 100, 5]"), qPrintable(m.left(300)));
    }

    void deeply_nested_stack_fields_are_refused() {
        for (const char* field : {"name", "dilation_rate", "padding", "type"}) {
            const auto text = stack_with_layer_field(field, nested(50000));
            const QString m = refused(parse_stack_json(text, "deep.convscope.json"), "deep.convscope.json");
            QVERIFY2(m.contains("nested deeper than 100 levels"), qPrintable(QString(field) + ": " + m));
        }
        // Just inside the limit the value is read, and the message about it is an excerpt.
        const QString m = refused(parse_stack_json(stack_with_layer_field("dilation_rate", nested(90)), "d.json"), "d.json");
        QVERIFY2(m.contains("dilation_rate") && m.contains("characters)"), qPrintable(m));
    }

    void megabyte_strings_give_short_messages() {
        const std::string huge = "\"" + std::string(1000000, 'x') + "\"";
        for (const char* field : {"type", "name", "data_format"}) {
            const std::string text = std::string(field) == "data_format"
                                         ? "{\"data_format\": " + huge + ", \"layers\": []}"
                                         : "{\"layers\": [{\"type\": \"Dense\", \"units\": 2, \"" + std::string(field) + "\": " + huge + "}]}";
            const QString m = refused(parse_stack_json(text, "big.json"), "big.json");
            QVERIFY2(!m.startsWith("accepted") && !m.startsWith("message of") && !m.startsWith("does not"),
                     qPrintable(QString(field) + ": " + m));
            QVERIFY2(m.contains("1000000 characters"), qPrintable(m));
        }
        // The suggestion search is bounded by length (it used to take 12 s on 5 MB): no
        // suggestion for a name far longer than every known one, even one containing "Dense".
        QVERIFY(!closest_name(std::string(1000000, 'x') + "Dense", layer_type_names()).has_value());
        QCOMPARE(closest_name("Conv1d", layer_type_names()), std::optional<std::string>("Conv1D"));
        // An unknown type just under the name limit: an excerpt, no quadratic did-you-mean search.
        const std::string text = "{\"layers\": [{\"type\": \"" + std::string(250, 'C') + "\"}]}";
        const QString m = refused(parse_stack_json(text, "t.json"), "t.json");
        QVERIFY2(m.contains("unknown layer type") && m.contains("(250 characters)"), qPrintable(m));
    }

    void unknown_field_names_are_cut_short() {
        const std::string text = "{\"" + std::string(1000000, 'k') + "\": 1, \"layers\": []}";
        const QString m = refused(parse_stack_json(text, "k.json"), "k.json");
        QVERIFY2(m.contains("unknown field") && m.contains("1000000 characters"), qPrintable(m));
    }

    void deeply_nested_keras_fields_are_refused() {
        for (const char* field : {"dilation_rate", "name", "activation", "strides"}) {
            const QString m = refused(import_keras_model_json(keras_with_conv_field(field, nested(50000)), "model.json"),
                                      "model.json");
            QVERIFY2(m.contains("nested deeper than 100 levels"), qPrintable(QString(field) + ": " + m));
        }
        const QString m = refused(import_keras_model_json(keras_with_conv_field("dilation_rate", nested(80)), "model.json"),
                                  "model.json");
        QVERIFY2(m.contains("dilation_rate") && m.size() < 400, qPrintable(m));
    }

    void megabyte_keras_strings_give_short_messages() {
        const std::string huge = "\"" + std::string(1000000, 'y') + "\"";
        const std::string text = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": " + huge +
                                 ", \"config\": {\"name\": \"a\"}}]}}";
        QString m = refused(import_keras_model_json(text, "model.json"), "model.json");
        QVERIFY2(m.contains("1000000 characters"), qPrintable(m));
        m = refused(import_keras_model_json(keras_with_conv_field("padding", huge), "model.json"), "model.json");
        QVERIFY2(m.contains("padding") && m.contains("1000000 characters"), qPrintable(m));
        m = refused(import_keras_model_json("{\"class_name\": " + huge + "}", "model.json"), "model.json");
        QVERIFY2(m.contains("1000000 characters"), qPrintable(m));
        // A syntax error quoting a huge token is cut short too.
        m = refused(import_keras_model_json("{\"a\": " + std::string(3000000, '7') + "x}", "model.json"), "model.json");
        QVERIFY2(m.contains("not valid JSON") && m.contains("number overflow"), qPrintable(m));
        m = refused(parse_stack_json("[1e999]", "n.json"), "n.json");
        QVERIFY2(m.contains("not valid JSON"), qPrintable(m));
    }
};

QTEST_GUILESS_MAIN(TestHostileJson)
#include "test_hostile_json.moc"
