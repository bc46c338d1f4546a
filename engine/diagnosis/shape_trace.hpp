// Shape inference through a stack with diagnosis: every layer's input and output
// shape with axis roles, the first failure with its axis, and ranked fixes that
// have been re-traced and shown to pass.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layers/layer_kind.hpp"
#include "layers/stack.hpp"
#include "tensor/axis_role.hpp"
#include "tensor/shape.hpp"

namespace convscope {

// What is fed to the stack. For a ragged dataset `shape` holds the longest
// length and `lengths` every sequence's own length.
struct TraceInput {
    Shape shape;
    std::vector<int64_t> lengths;  // empty: every sequence has the length in `shape`
    int64_t length_axis = -1;      // where the lengths vary (set with `lengths`)

    bool ragged() const;
    static TraceInput uniform(Shape s) { return {std::move(s), {}, -1}; }
};

// A change to the data (rather than the stack) that a fix may stand for.
struct DataChange {
    enum class Kind { Transpose, Pad, Truncate, AddChannelAxis };
    Kind kind;
    std::string description;   // "transpose the data to (32, 100, 5)"
    Shape new_shape;           // the data's shape after the change
    int64_t maxlen = 0;        // Pad / Truncate
    std::string side = "post";  // Pad / Truncate: "pre" | "post"
};

struct Fix {
    std::string id;            // stable, e.g. "insert-permute", "set-in-channels"
    std::string description;   // one line, imperative
    Stack stack;               // the whole corrected stack; passes on `traced_on`
    std::optional<DataChange> data_change;  // set when the fix really belongs to the data
    TraceInput traced_on;      // the input it was re-traced on (the data as it is, unless ragged)
};

struct ShapeError : LayerFailure {
    std::vector<Fix> fixes;    // ranked, best first; every one re-traced and passing
};

struct ReceptiveField {
    int64_t steps = 1;      // input steps one output step depends on
    double jump = 1;        // input steps between neighbouring output steps
    bool whole = false;     // depends on the whole sequence (after global pooling / Flatten)
};

struct TraceStep {
    int64_t index = -1;     // -1 for the Input step, else the layer's position in the stack
    std::string name;
    std::string type;       // "Input" for the first step
    bool enabled = true;
    std::optional<TensorType> in;
    std::optional<TensorType> out;   // nullopt when it cannot be computed
    std::optional<Shape> declared;   // Input step: the stack's declared input_shape
    int64_t params = 0;
    ReceptiveField receptive_field;
    std::string length_rule;
    std::optional<ShapeError> error;
    std::vector<LayerWarning> warnings;
};

struct Trace {
    DataFormat format = DataFormat::ChannelsLast;
    TraceInput input;
    std::vector<TraceStep> steps;    // steps[0] is the Input
    std::optional<size_t> failing_step;
    int64_t total_params = 0;
    // Shortest input length the stack accepts (nullopt if none up to a large bound,
    // or the trace fails for another reason).
    std::optional<int64_t> min_input_length;

    bool ok() const { return !failing_step.has_value(); }
    const ShapeError* error() const { return failing_step ? &*steps[*failing_step].error : nullptr; }
};

struct TraceOptions {
    bool propose_fixes = true;
    bool compute_min_length = true;
};

Trace trace_stack(const Stack& stack, const TraceInput& input, const TraceOptions& options = {});

}  // namespace convscope
