// Owns reading a pasted PyTorch / Keras / TensorFlow error text: which shape mistake it reports, its numbers, the failing axis and role, a plain-words cause and ranked fixes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "layers/layer_kind.hpp"
#include "tensor/axis_role.hpp"
#include "tensor/data_format.hpp"
#include "tensor/shape.hpp"

namespace convscope::explain {

// Pasted text above this size is refused: a traceback is a few kilobytes.
inline constexpr size_t kMaxExplainBytes = size_t{1} << 20;

enum class Framework { PyTorch, Keras };  // Keras covers TensorFlow's own ops too
std::string_view to_string(Framework f);   // "PyTorch", "Keras/TensorFlow"
// The layout the framework's 1D layers use by default (PyTorch NCL, Keras NLC).
DataFormat native_format(Framework f);

// One framework message the recogniser understood.
struct ExplainedMessage {
    std::string kind;              // stable id, e.g. "conv-channel-mismatch" (docs/EXPLAIN.md)
    MistakeKind mistake = MistakeKind::InvalidParameters;  // the engine's name for the mistake
    Framework framework = Framework::PyTorch;
    std::string message;           // the message as matched (whitespace collapsed)
    int64_t line = 0;              // 1-based line of the pasted text where it starts
    std::vector<Shape> shapes;     // every shape the message carries, in order
    std::optional<int64_t> expected;
    std::optional<int64_t> actual;
    std::string quantity;          // what expected/actual count: "channels", "steps", "features", ...
    int64_t axis = -1;             // index into the failing layer's input; -1 when no single axis
    std::optional<AxisRole> role;  // that axis's role in the framework's layout
    std::string layer_type;        // the framework's class, e.g. "Conv1d", "Dense"
    std::string layer_name;        // as the framework or the traceback names it; may be empty
    std::optional<Shape> layer_input;  // the shape reaching the failing layer, when the message says
    bool shape_is_model_input = false;  // layer_input is what the whole model was fed
    std::vector<std::string> stack_types;  // ConvScope layer types the message can belong to
    std::string explanation;       // plain words
    std::vector<std::string> fixes;  // ranked, best first, in the framework's own terms
};

struct Explanation {
    std::vector<ExplainedMessage> messages;  // in the order of the text; the first is the primary
    bool recognised() const { return !messages.empty(); }
    const ExplainedMessage* primary() const { return messages.empty() ? nullptr : &messages.front(); }
};

// Reads a message, a whole traceback (chained exceptions included) or a log.
// Fails only for text above kMaxExplainBytes; unrecognised text gives no messages.
Result<Explanation> explain_text(std::string_view text);

// What the recogniser looks for, one line per message kind: shown when nothing matched.
std::vector<std::string> recognised_kinds();

}  // namespace convscope::explain
