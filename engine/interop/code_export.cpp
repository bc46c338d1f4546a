#include "interop/code_export.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "diagnosis/trace_input.hpp"
#include "interop/stack_json.hpp"
#include "layers/layer_kind.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

std::string export_json(const Stack& stack) { return stack_to_json_text(stack); }

std::vector<std::string> export_mask_notes(const Stack& stack, const ExportData& data) {
    const auto input = codegen::resolve_export_input(stack, data);
    return codegen::mask_flow(stack, codegen::export_trace(stack, input.shape)).notes;
}

namespace codegen {

namespace {

// Length used for the example input when the stack leaves it open: long enough
// for typical stacks, short enough that the generated example runs instantly.
constexpr int64_t kExampleLength = 128;

std::optional<int64_t> declared_input_channels(const Stack& stack) {
    for (const auto& layer : stack.layers) {
        if (!layer.enabled) continue;
        for (const char* field : {"in_channels", "num_features"})
            if (auto it = layer.params.find(field); it != layer.params.end() && it->is_number_integer())
                return it->get<int64_t>();
        return std::nullopt;  // only the first enabled layer sees the stack's input
    }
    return std::nullopt;
}

bool is_python_keyword(std::string_view s) {
    static constexpr std::array<std::string_view, 35> kKeywords{
        "False", "None",   "True",    "and",      "as",     "assert", "async",  "await",    "break",
        "class", "continue", "def",   "del",      "elif",   "else",   "except", "finally",  "for",
        "from",  "global", "if",      "import",   "in",     "is",     "lambda", "nonlocal", "not",
        "or",    "pass",   "raise",   "return",   "try",    "while",  "with",   "yield"};
    return std::find(kKeywords.begin(), kKeywords.end(), s) != kKeywords.end();
}

}  // namespace

Trace export_trace(const Stack& stack, const Shape& input) {
    TraceOptions options;
    options.propose_fixes = false;
    options.compute_min_length = false;
    return trace_stack(stack, TraceInput::uniform(input), options);
}

ExportInput resolve_export_input(const Stack& stack, const ExportData& data) {
    ExportInput result;
    const bool declared = stack.input_shape.has_value();
    Shape shape = declared ? *stack.input_shape : Shape{kAnyDim, kAnyDim, kAnyDim};
    if (!declared) result.assumed.push_back("the stack declares no input_shape; a sequence batch is assumed");
    // The data the trace used fills every open dimension it can: the export then builds the
    // model the trace checked (2 channels of data give nn.Conv1d(2, ...), not an assumed 1).
    // Data with fewer axes than the input (a 1-D recording, an (N, L) array) is read as the data
    // panel and the trace's axes fix read it; the CLI and the GUI both pass the shape as traced.
    std::optional<Shape> data_shape = data.shape;
    if (data_shape && data_shape->rank() != shape.rank())
        if (auto batch = sequence_batch_shape(*data_shape, stack.data_format); batch && batch->rank() == shape.rank())
            data_shape = batch;
    const bool from_data = data_shape && data_shape->rank() == shape.rank();
    if (data.shape && !from_data)
        result.assumed.push_back("the data's shape " + data.shape->to_string() + " has " +
                                 std::to_string(data.shape->rank()) + " axes, the input " +
                                 std::to_string(shape.rank()) + ": its sizes are not used");
    if (from_data) {
        std::vector<std::string> filled;
        for (int64_t axis = 0; axis < shape.rank(); ++axis) {
            if (shape[axis] != kAnyDim || (*data_shape)[axis] == kAnyDim) continue;
            shape[axis] = (*data_shape)[axis];
            const std::string role = axis == 0 ? "batch"
                                     : shape.rank() == 2 ? "length"
                                     : shape.rank() != 3 ? "axis " + std::to_string(axis)
                                     : axis == layer_support::channels_axis(stack.data_format) ? "channels"
                                                                                             : "length";
            filled.push_back(role + " " + std::to_string(shape[axis]));
        }
        if (!filled.empty()) {
            std::string list;
            for (size_t i = 0; i < filled.size(); ++i) list += (i ? ", " : "") + filled[i];
            result.assumed.push_back("from the data the trace used" +
                                     (data.source.empty() ? std::string() : " (" + data.source + ")") + ", " +
                                     data_shape->to_string() + ": " + list +
                                     (stack.input_shape ? "" : "; the model accepts other lengths its layers allow"));
        }
    }
    if (shape.rank() > 0 && shape[0] == kAnyDim) shape[0] = 1;
    int64_t length_at = -1;
    for (int64_t axis = 1; axis < shape.rank(); ++axis) {
        if (shape[axis] != kAnyDim) continue;
        const bool channels = shape.rank() == 3 && axis == layer_support::channels_axis(stack.data_format);
        if (channels) {
            const auto c = declared_input_channels(stack);
            shape[axis] = c.value_or(1);
            result.assumed.push_back(c ? "the channel count is open; the first layer's in_channels (" +
                                             std::to_string(*c) + ") is used"
                                       : "the channel count is open; 1 channel is assumed");
        } else {
            shape[axis] = kExampleLength;
            length_at = axis;
        }
    }
    if (length_at >= 0) {
        // An open length should not make the example fail where a longer one passes.
        Trace t = export_trace(stack, shape);
        if (!t.ok() && t.error()->kind == MistakeKind::SequenceTooShort) {
            TraceOptions options;
            options.propose_fixes = false;
            Trace with_min = trace_stack(stack, TraceInput::uniform(shape), options);
            if (with_min.min_input_length) shape[length_at] = *with_min.min_input_length;
        }
        result.assumed.push_back("the length is open; the example uses " + std::to_string(shape[length_at]) +
                                 " steps (the model accepts other lengths its layers allow)");
    }
    result.shape = shape;
    return result;
}

bool MaskFlow::consumes(size_t layer) const {
    return std::find(consumers.begin(), consumers.end(), layer) != consumers.end();
}

MaskFlow mask_flow(const Stack& stack, const Trace& trace) {
    MaskFlow flow;
    auto out_length = [&](size_t index) -> std::optional<int64_t> {
        for (const auto& s : trace.steps)
            if (s.index == static_cast<int64_t>(index) && s.out && s.out->rank() == 3)
                return s.out->shape[layer_support::length_axis(stack.data_format)];
        return std::nullopt;
    };
    std::optional<std::string> live;  // the Masking layer whose mask is live
    std::optional<int64_t> mask_length;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& layer = stack.layers[i];
        const LayerKind* kind = layer.enabled ? find_layer_kind(layer.type) : nullptr;
        if (!kind) continue;
        const std::string label = "\"" + layer.name + "\" (" + layer.type + ")";
        switch (kind->mask_rule()) {
            case MaskRule::Produce:
                live = layer.name;
                mask_length = out_length(i);
                break;
            case MaskRule::Propagate:
                if (live && out_length(i) != mask_length) {
                    flow.notes.push_back("The mask of \"" + *live + "\" ends at " + label +
                                         ", which changes the length (as in Keras).");
                    live.reset();
                }
                break;
            case MaskRule::Consume:
                if (live) {
                    flow.consumers.push_back(i);
                    flow.notes.push_back(label + " uses the mask of \"" + *live +
                                         "\" as Keras does: it pools over the real steps only (masked " +
                                         (layer.type == "GlobalMaxPooling1D" ? "max" : "mean") +
                                         " in the PyTorch code).");
                    live.reset();
                }
                break;
            case MaskRule::Drop:
                if (live) {
                    flow.notes.push_back("The mask of \"" + *live + "\" does not reach any pooling: " + label +
                                         " drops it, as Keras does, so the later layers also count the masked "
                                         "(padded) steps. To pool over real steps only, put the pooling right "
                                         "after the Masking layer or feed sequences without padding.");
                    live.reset();
                }
                break;
        }
    }
    return flow;
}

std::vector<std::string> trace_comment(const Stack& stack, const ExportInput& input, const Trace& trace) {
    std::vector<std::string> lines;
    auto add = [&](const std::string& text) {
        for (auto& l : comment_lines(text)) lines.push_back(std::move(l));
    };
    const std::string declared = stack.input_shape ? stack.input_shape->to_string() : std::string("not declared");
    add("Layout: " + std::string(to_string(stack.data_format)) + " (" +
        (stack.data_format == DataFormat::ChannelsLast ? "batch, length, channels" : "batch, channels, length") +
        "); declared input " + declared + ".");
    for (const auto& a : input.assumed) add((a.rfind("from the data", 0) == 0 ? "Filled " : "Assumed: ") + a + ".");
    for (const auto& n : mask_flow(stack, trace).notes) add("Mask: " + n);
    if (trace.ok()) {
        const auto& last = trace.steps.back();
        add("ConvScope's shape trace on " + input.shape.to_string() + " passes; output " +
            (last.out ? last.out->shape.to_string() : std::string("?")) + ".");
        return lines;
    }
    const TraceStep& step = trace.steps[*trace.failing_step];
    const ShapeError& e = *trace.error();
    std::string where = step.index < 0 ? std::string("the input")
                                       : describe_layer(stack.layers[static_cast<size_t>(step.index)],
                                                        static_cast<size_t>(step.index));
    std::string what = std::string(title(e.kind));
    if (e.axis >= 0) what += " on axis " + std::to_string(e.axis);
    add("WARNING: ConvScope's shape trace FAILS on " + input.shape.to_string() + " at " + where + ": " + what + ". " +
        e.explanation);
    add("The code is exported as the stack declares it, so running it reproduces the failure. Layers after the "
        "failure use their declared sizes (or PyTorch's lazy modules where none are declared).");
    return lines;
}

std::string python_identifier(std::string_view text) {
    std::string id;
    for (unsigned char c : text) id += std::isalnum(c) || c == '_' ? static_cast<char>(c) : '_';
    if (id.empty()) id = "layer";
    if (std::isdigit(static_cast<unsigned char>(id.front()))) id = "_" + id;
    if (is_python_keyword(id)) id += "_";
    return id;
}

std::string python_class_name(std::string_view text) {
    std::string name;
    bool upper_next = true;
    for (unsigned char c : text) {
        if (!std::isalnum(c) || c >= 0x80) {
            upper_next = true;
            if (name.size() >= 40) break;  // long descriptive names make unwieldy class names
            continue;
        }
        name += upper_next ? static_cast<char>(std::toupper(c)) : static_cast<char>(c);
        upper_next = false;
    }
    if (name.empty()) return "ConvScopeModel";
    if (std::isdigit(static_cast<unsigned char>(name.front()))) name = "Model" + name;
    return name;
}

std::string python_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::string python_float(double value) {
    if (std::isnan(value)) return "float('nan')";
    if (std::isinf(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    // 12 significant digits: 1 - 0.99 prints as 0.01, not 0.010000000000000009.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.12g", value);
    std::string s = buf;
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
    return s;
}

std::string python_tuple(const std::vector<int64_t>& values, bool none_for_any) {
    std::string s = "(";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) s += ", ";
        s += values[i] == kAnyDim && none_for_any ? std::string("None") : std::to_string(values[i]);
    }
    if (values.size() == 1) s += ",";
    return s + ")";
}

std::vector<std::string> comment_lines(std::string_view text, std::string_view indent) {
    constexpr size_t kWidth = 96;
    std::vector<std::string> lines;
    std::string current;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j == i) break;
        const std::string_view word = text.substr(i, j - i);
        if (!current.empty() && current.size() + 1 + word.size() > kWidth) {
            lines.push_back(std::string(indent) + "# " + current);
            current.clear();
        }
        if (!current.empty()) current += ' ';
        current += word;
        i = j;
    }
    if (!current.empty() || lines.empty()) lines.push_back(std::string(indent) + "#" + (current.empty() ? "" : " ") + current);
    return lines;
}

NameTable::NameTable(std::vector<std::string> taken) : used_(std::move(taken)) {}

std::string NameTable::claim(std::string_view wanted) {
    const std::string base = python_identifier(wanted);
    std::string name = base;
    for (int n = 2; std::find(used_.begin(), used_.end(), name) != used_.end(); ++n) name = base + "_" + std::to_string(n);
    used_.push_back(name);
    return name;
}

}  // namespace codegen

}  // namespace convscope
