#include "diagnosis/trace_report.hpp"

#include <iomanip>
#include <sstream>

#include "interop/stack_json.hpp"

namespace convscope {

namespace {

using ojson = nlohmann::ordered_json;

std::string rf_text(const ReceptiveField& rf) { return rf.whole ? "all" : std::to_string(rf.steps); }

std::string rule_text(const std::string& rule) {
    if (rule.empty()) return "";
    if (rule == "removed") return "length axis removed";
    if (rule == "moved" || rule == "reshaped") return "axes " + rule;
    return "L_out = " + rule;
}

// Wraps prose at `width` columns with `indent` spaces.
std::string wrap(const std::string& text, size_t width, const std::string& indent) {
    std::istringstream words(text);
    std::string word, line, out;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += indent + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += indent + line + "\n";
    return out;
}

ojson tensor_json(const std::optional<TensorType>& t) {
    if (!t) return nullptr;
    return ojson(shape_to_json(t->shape));
}

ojson roles_json(const std::optional<TensorType>& t) {
    if (!t) return nullptr;
    ojson roles = ojson::array();
    for (auto r : t->roles) roles.push_back(std::string(to_string(r)));
    return roles;
}

ojson input_json(const TraceInput& in) {
    ojson j = ojson::array();
    for (auto d : in.shape.dims) j.push_back(d);
    return j;
}

}  // namespace

nlohmann::json shape_to_json(const Shape& shape) {
    nlohmann::json j = nlohmann::json::array();
    for (auto d : shape.dims) j.push_back(d == kAnyDim ? nlohmann::json() : nlohmann::json(d));
    return j;
}

std::string format_trace_table(const Trace& trace) {
    std::ostringstream out;
    out << "Data format: " << to_string(trace.format) << " ("
        << (trace.format == DataFormat::ChannelsLast ? "batch, length, channels" : "batch, channels, length")
        << "; messages as " << framework_name(trace.format) << " prints them)\n\n";
    out << std::left << std::setw(4) << "#" << std::setw(22) << "layer" << std::setw(24) << "type" << std::setw(26)
        << "input" << std::setw(18) << "output" << std::setw(10) << "params" << std::setw(6) << "RF"
        << "length rule\n";
    for (const auto& s : trace.steps) {
        const std::string idx = s.index < 0 ? "-" : std::to_string(s.index);
        std::string in = s.in ? s.in->shape.to_string() : "";
        if (s.index < 0) in = s.declared ? "declared " + s.declared->to_string() : "nothing declared";
        const std::string out_shape = s.out ? s.out->shape.to_string() : (s.error ? "FAILS" : "-");
        std::string type = s.type + (s.enabled ? "" : " (off)");
        out << std::setw(4) << idx << std::setw(22) << s.name.substr(0, 21) << std::setw(24) << type
            << std::setw(25) << in << " " << std::setw(17) << out_shape << std::setw(10)
            << (s.index < 0 || !s.out ? "" : std::to_string(s.params)) << std::setw(6)
            << (s.index < 0 || !s.out ? "" : rf_text(s.receptive_field)) << rule_text(s.length_rule)
            << "\n";
    }
    out << "\nTotal parameters: " << trace.total_params;
    for (auto it = trace.steps.rbegin(); it != trace.steps.rend(); ++it)
        if (it->out && it->index >= 0) {
            out << ". Receptive field of the last output: " << rf_text(it->receptive_field)
                << (it->receptive_field.whole ? " (the whole sequence)" : " steps");
            break;
        }
    if (trace.min_input_length) out << ". Shortest input accepted: " << *trace.min_input_length << " steps";
    out << ".\n";
    for (const auto& s : trace.steps)
        for (const auto& w : s.warnings) out << "\nWarning at " << s.name << ": " << w.message << "\n";
    if (trace.ok()) {
        out << "\nOK: every layer accepts its input.\n";
        return out.str();
    }
    const TraceStep& f = trace.steps[*trace.failing_step];
    const ShapeError& e = *f.error;
    out << "\nFAILED at " << (f.index < 0 ? "the input" : "layer " + std::to_string(f.index) + " \"" + f.name + "\" (" + f.type + ")")
        << ": " << title(e.kind);
    if (e.axis >= 0) out << " on axis " << e.axis << (e.role ? " (" + std::string(to_string(*e.role)) + ")" : "");
    out << "\n";
    if (!e.expected.empty()) out << "  expected: " << e.expected << "\n  found:    " << e.actual << "\n";
    out << wrap(e.explanation, 96, "  ");
    out << "  " << framework_name(trace.format) << " would say:\n" << wrap(e.framework_message, 96, "    ");
    if (e.fixes.empty()) {
        out << "  No automatic fix passes; edit the stack by hand.\n";
    } else {
        out << "  Fixes (each applied and re-traced: the stack then passes):\n";
        for (size_t i = 0; i < e.fixes.size(); ++i)
            out << "    " << i + 1 << ". " << e.fixes[i].description << "  [" << e.fixes[i].id << "]\n";
    }
    return out.str();
}

nlohmann::ordered_json trace_to_json(const Trace& trace) {
    ojson j;
    j["ok"] = trace.ok();
    j["data_format"] = std::string(to_string(trace.format));
    ojson steps = ojson::array();
    for (const auto& s : trace.steps) {
        ojson sj;
        sj["index"] = s.index < 0 ? ojson() : ojson(s.index);
        sj["name"] = s.name;
        sj["type"] = s.type;
        if (s.index < 0) {
            sj["declared"] = s.declared ? ojson(shape_to_json(*s.declared)) : ojson();
            sj["actual"] = input_json(trace.input);
            if (trace.input.ragged()) sj["lengths"] = trace.input.lengths;
        }
        sj["enabled"] = s.enabled;
        sj["in_shape"] = tensor_json(s.in);
        sj["out_shape"] = tensor_json(s.out);
        sj["out_roles"] = roles_json(s.out);
        sj["params"] = s.params;
        sj["receptive_field"] = !s.out || s.index < 0 ? ojson() : s.receptive_field.whole ? ojson("all") : ojson(s.receptive_field.steps);
        if (!s.length_rule.empty()) sj["length_rule"] = rule_text(s.length_rule);
        if (!s.warnings.empty()) {
            ojson ws = ojson::array();
            for (const auto& w : s.warnings)
                ws.push_back({{"kind", std::string(to_string(w.kind))}, {"axis", w.axis}, {"message", w.message}});
            sj["warnings"] = ws;
        }
        if (s.error) {
            const ShapeError& e = *s.error;
            ojson ej;
            ej["kind"] = std::string(to_string(e.kind));
            ej["title"] = std::string(title(e.kind));
            ej["axis"] = e.axis >= 0 ? ojson(e.axis) : ojson();
            ej["role"] = e.role ? ojson(std::string(to_string(*e.role))) : ojson();
            ej["expected"] = e.expected;
            ej["actual"] = e.actual;
            ej["message"] = e.explanation;
            ej["framework"] = std::string(framework_name(trace.format));
            ej["framework_message"] = e.framework_message;
            ojson fixes = ojson::array();
            for (const auto& fix : e.fixes) {
                ojson fj;
                fj["id"] = fix.id;
                fj["description"] = fix.description;
                if (fix.data_change) {
                    static const char* kinds[] = {"transpose", "pad", "truncate", "add_channel_axis"};
                    fj["data_change"] = {{"kind", kinds[static_cast<int>(fix.data_change->kind)]},
                                         {"description", fix.data_change->description},
                                         {"new_shape", shape_to_json(fix.data_change->new_shape)}};
                }
                fj["traced_on"] = input_json(fix.traced_on);
                fj["stack"] = stack_to_json(fix.stack);
                fixes.push_back(std::move(fj));
            }
            ej["fixes"] = std::move(fixes);
            sj["error"] = std::move(ej);
        }
        steps.push_back(std::move(sj));
    }
    j["steps"] = std::move(steps);
    j["total_params"] = trace.total_params;
    j["min_input_length"] = trace.min_input_length ? ojson(*trace.min_input_length) : ojson();
    return j;
}

}  // namespace convscope
