#include "explain/stack_match.hpp"

#include <algorithm>
#include <cctype>

#include "diagnosis/stack_edits.hpp"
#include "diagnosis/trace_input.hpp"

namespace convscope::explain {

namespace {

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool of_type(const ExplainedMessage& m, const LayerSpec& l) {
    return std::find(m.stack_types.begin(), m.stack_types.end(), l.type) != m.stack_types.end();
}

// The layer's own declared input size (in_channels, in_features, num_features), if set.
std::optional<int64_t> declared_size(const LayerSpec& l) {
    const std::string_view field = stack_edits::declared_size_field(l.type);
    if (field.empty()) return std::nullopt;
    const auto it = l.params.find(std::string(field));
    if (it == l.params.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}

std::optional<size_t> first_enabled(const Stack& s) {
    for (size_t i = 0; i < s.layers.size(); ++i)
        if (s.layers[i].enabled) return i;
    return std::nullopt;
}

}  // namespace

StackMatch match_stack(const ExplainedMessage& m, const Stack& stack) {
    StackMatch out;
    // 1. By name, when the framework or the traceback named the layer.
    if (!m.layer_name.empty())
        for (size_t i = 0; i < stack.layers.size(); ++i)
            if (stack.layers[i].enabled && iequal(stack.layers[i].name, m.layer_name)) {
                out.layer = i;
                out.layer_reason = "the message names layer \"" + m.layer_name + "\"";
                break;
            }
    // 2. By type, preferring the layer whose declared size is the one the message expects.
    if (!out.layer && m.expected)
        for (size_t i = 0; i < stack.layers.size(); ++i)
            if (stack.layers[i].enabled && of_type(m, stack.layers[i]) && declared_size(stack.layers[i]) == m.expected) {
                out.layer = i;
                out.layer_reason = "the first " + stack.layers[i].type + " declared for " + std::to_string(*m.expected) + " " + m.quantity;
                break;
            }
    bool by_type_only = false;
    if (!out.layer)
        for (size_t i = 0; i < stack.layers.size(); ++i)
            if (stack.layers[i].enabled && of_type(m, stack.layers[i])) {
                out.layer = i;
                out.layer_reason = "the first " + stack.layers[i].type + " in the stack";
                by_type_only = true;
                break;
            }

    // The shape the message reports is what reached its layer; it is the stack's
    // input when that layer comes first or the message is about the model's input.
    const auto first = first_enabled(stack);
    const bool at_input = m.shape_is_model_input || !out.layer || out.layer == first;
    std::optional<TraceInput> input;
    if (m.layer_input && at_input && m.layer_input->rank() > 0) {
        Shape s = *m.layer_input;
        if (s[0] == kAnyDim) s[0] = 1;  // Keras prints the batch as None
        if (s.fully_known()) {
            input = TraceInput::uniform(s);
            out.input_reason = "the shape in the message, " + s.to_string() + ", fed to the stack";
        }
    }
    if (!input) {
        if (auto declared = trace_input_from_declared(stack)) {
            input = *declared;
            out.input_reason = "the stack's declared input " + input->shape.to_string() +
                               " (the message's shape reaches a later layer, the trace computes it)";
        } else {
            out.input_reason = "no trace: the message gives no input shape and the stack declares none (" +
                               declared.error().message + ")";
            return out;
        }
    }
    out.trace = trace_stack(stack, *input);
    if (const auto step = out.trace->failing_step) {
        const int64_t failing = out.trace->steps[*step].index;
        if (failing >= 0) {
            const auto fi = static_cast<size_t>(failing);
            // The trace knows better than a guess by type which layer breaks.
            if ((!out.layer || by_type_only) && (m.stack_types.empty() || of_type(m, stack.layers[fi]))) {
                out.layer = fi;
                out.layer_reason = "the layer the trace fails at";
            }
            out.agrees = out.layer == fi;
        } else {
            // The declared input rejects the data: that is the first layer's input, so a
            // message about the first layer (or the model's input) says the same.
            out.agrees = m.shape_is_model_input || (out.layer && out.layer == first);
        }
    }
    return out;
}

}  // namespace convscope::explain
