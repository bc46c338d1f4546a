// A recognised message set against an open stack: which layer it belongs to,
// and the engine's own trace re-run on the shape the message reports, whose
// verified fixes (each with its corrected stack) the explanation then offers.
#pragma once

#include <optional>
#include <string>

#include "diagnosis/shape_trace.hpp"
#include "explain/explain.hpp"

namespace convscope::explain {

struct StackMatch {
    std::optional<size_t> layer;  // index into stack.layers
    std::string layer_reason;     // why that layer, in words
    std::optional<Trace> trace;   // nullopt when there is no shape to trace on
    std::string input_reason;     // what the trace ran on, in words
    bool agrees = false;          // the trace fails at `layer` too
};

StackMatch match_stack(const ExplainedMessage& message, const Stack& stack);

}  // namespace convscope::explain
