#include "explain/explain_report.hpp"

#include "diagnosis/trace_report.hpp"
#include "interop/stack_json.hpp"

namespace convscope::explain {

namespace {

nlohmann::json optional_int(const std::optional<int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

const ShapeError* trace_error(const StackMatch* match) {
    return match && match->trace ? match->trace->error() : nullptr;
}

}  // namespace

std::string not_recognised_text() {
    std::string out = "Not recognised: no PyTorch, Keras or TensorFlow shape error was found in the text.\nLooked for:\n";
    for (const auto& k : recognised_kinds()) out += "  - " + k + "\n";
    return out;
}

std::string format_explanation(const Explanation& e, const StackMatch* match, const Stack* stack) {
    const ExplainedMessage* m = e.primary();
    if (!m) return not_recognised_text();
    std::string out;
    out += std::string(title(m->mistake)) + " (" + std::string(to_string(m->framework)) + ", " + m->kind + "), line " +
           std::to_string(m->line) + ":\n  " + m->message + "\n\n";
    if (!m->layer_type.empty() || !m->layer_name.empty())
        out += "Layer:    " + m->layer_type + (m->layer_name.empty() ? "" : " \"" + m->layer_name + "\"") + "\n";
    if (m->axis >= 0)
        out += "Axis:     " + std::to_string(m->axis) + (m->role ? " (" + std::string(to_string(*m->role)) + ")" : "") + " in " +
               std::string(to_string(m->framework)) + "'s " +
               (m->role == AxisRole::Features ? "(batch, features)"
                : native_format(m->framework) == DataFormat::ChannelsFirst ? "(batch, channels, length)" : "(batch, length, channels)") + "\n";
    if (m->expected) out += "Expected: " + std::to_string(*m->expected) + " " + m->quantity + "\n";
    if (m->actual) out += "Actual:   " + std::to_string(*m->actual) + " " + m->quantity + "\n";
    out += "\n" + m->explanation + "\n\nFixes (" + std::string(to_string(m->framework)) + "):\n";
    for (size_t i = 0; i < m->fixes.size(); ++i) out += "  " + std::to_string(i + 1) + ". " + m->fixes[i] + "\n";
    if (match && stack) {
        out += "\nIn the stack";
        if (!stack->name.empty()) out += " \"" + stack->name + "\"";
        out += ":\n";
        if (match->layer) out += "  The message belongs to " + describe_layer(stack->layers[*match->layer], *match->layer) + ": " + match->layer_reason + ".\n";
        else out += "  No layer of the stack matches this message.\n";
        out += "  Traced on " + match->input_reason + ".\n";
        if (match->trace) {
            if (const ShapeError* err = trace_error(match)) {
                const auto& step = match->trace->steps[*match->trace->failing_step];
                out += "  The trace fails at " + (step.index >= 0 ? describe_layer(stack->layers[size_t(step.index)], size_t(step.index)) : std::string("the stack's declared input")) +
                       ": " + std::string(title(err->kind)) + ", " + err->expected + " / " + err->actual +
                       (match->agrees ? " (the same layer as the message)" : "") + ".\n";
                if (!err->fixes.empty()) out += "  Verified fixes (each re-traced and passing):\n";
                for (size_t i = 0; i < err->fixes.size(); ++i)
                    out += "    " + std::to_string(i + 1) + ". " + err->fixes[i].description + "\n";
            } else {
                out += "  The stack passes on that shape: the message comes from a model that differs from this stack.\n";
            }
        }
    }
    for (size_t i = 1; i < e.messages.size(); ++i)
        out += (i == 1 ? "\nAlso in the text:\n" : "") + std::string("  line ") + std::to_string(e.messages[i].line) + ": " +
               e.messages[i].kind + ": " + e.messages[i].message + "\n";
    return out;
}

nlohmann::ordered_json explanation_to_json(const Explanation& e, const StackMatch* match, const Stack* stack) {
    nlohmann::ordered_json j;
    const ExplainedMessage* m = e.primary();
    j["recognised"] = m != nullptr;
    if (!m) {
        j["framework"] = nullptr;
        j["kind"] = nullptr;
        j["explanation"] = "not recognised: no PyTorch, Keras or TensorFlow shape error was found in the text";
        j["looked_for"] = recognised_kinds();
        j["fixes"] = nlohmann::json::array();
        return j;
    }
    auto message_json = [](const ExplainedMessage& x) {
        nlohmann::ordered_json o;
        o["framework"] = std::string(to_string(x.framework));
        o["kind"] = x.kind;
        o["title"] = std::string(title(x.mistake));
        o["line"] = x.line;
        o["message"] = x.message;
        nlohmann::json shapes = nlohmann::json::array();
        for (const auto& s : x.shapes) shapes.push_back(shape_to_json(s));
        o["shapes"] = shapes;
        o["expected"] = optional_int(x.expected);
        o["actual"] = optional_int(x.actual);
        o["quantity"] = x.quantity;
        o["axis"] = x.axis >= 0 ? nlohmann::json(x.axis) : nlohmann::json();
        o["role"] = x.role ? nlohmann::json(std::string(to_string(*x.role))) : nlohmann::json();
        o["layer_type"] = x.layer_type;
        o["layer_name"] = x.layer_name;
        o["explanation"] = x.explanation;
        return o;
    };
    const nlohmann::ordered_json primary = message_json(*m);
    for (const auto& [k, v] : primary.items()) j[k] = v;
    nlohmann::ordered_json fixes = nlohmann::ordered_json::array();
    if (const ShapeError* err = trace_error(match))
        for (const Fix& f : err->fixes)
            {
                nlohmann::ordered_json o;
                o["description"] = f.description;
                o["source"] = "trace";
                o["id"] = f.id;
                o["stack"] = stack_to_json(f.stack);
                fixes.push_back(o);
            }
    for (const auto& f : m->fixes) fixes.push_back({{"description", f}, {"source", "message"}});
    j["fixes"] = fixes;
    if (match && stack) {
        nlohmann::ordered_json s;
        s["layer"] = match->layer ? nlohmann::json(*match->layer) : nlohmann::json();
        s["layer_name"] = match->layer ? nlohmann::json(stack->layers[*match->layer].name) : nlohmann::json();
        s["reason"] = match->layer_reason;
        s["traced_on"] = match->input_reason;
        s["trace"] = match->trace ? nlohmann::json(trace_to_json(*match->trace)) : nlohmann::json();
        s["agrees"] = match->agrees;
        j["stack"] = s;
    }
    nlohmann::ordered_json also = nlohmann::ordered_json::array();
    for (size_t i = 1; i < e.messages.size(); ++i) also.push_back(message_json(e.messages[i]));
    j["also_found"] = also;
    return j;
}

}  // namespace convscope::explain
