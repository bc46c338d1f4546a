// Ranked fixes for the first failure of a trace. Every candidate is applied to
// a copy of the stack and re-traced; only those that then pass are offered.
#pragma once

#include <vector>

#include "diagnosis/shape_trace.hpp"

namespace convscope {

// `failing` is the trace of `stack` on `input`, which has a failing step.
std::vector<Fix> propose_fixes(const Stack& stack, const TraceInput& input, const Trace& failing);

// The shortest input length the stack accepts, searched over the length axis of `input`;
// nullopt when even very long inputs are too short or the input has no length axis.
std::optional<int64_t> minimum_input_length(const Stack& stack, const TraceInput& input);

}  // namespace convscope
