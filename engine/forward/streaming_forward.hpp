// Running a stack over a very long signal in chunks along the length axis, so
// that only the input, the output and a few chunk-sized intermediates are ever
// held: for stacks whose every layer is length-local (each output step reads a
// bounded window of input steps). The result equals run_forward's final output.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "forward/stack_weights.hpp"
#include "tensor/tensor.hpp"

namespace convscope {

struct StreamingOptions {
    // Final-output steps computed per chunk (rounded up to a multiple of 64); each
    // chunk recomputes the receptive-field halo of every layer rather than caching it.
    int64_t chunk_steps = 65536;
    // Called after each chunk with (output steps done, output steps total); return false to cancel.
    std::function<bool(int64_t, int64_t)> progress;
};

// Why `stack` cannot be streamed over the input `trace` describes, in a sentence
// naming the layer; nullopt when it can. `trace` must pass.
std::optional<std::string> streaming_obstacle(const Stack& stack, const Trace& trace);

// The stack's final output for `input` (shape as traced), computed chunk by chunk into
// one preallocated tensor. Errors: the trace fails, a layer is not length-local (the
// obstacle's sentence), missing or wrongly sized weights, or cancellation.
Result<Tensor> run_forward_streaming(const Stack& stack, const Tensor& input, const StackWeights& weights,
                                     const StreamingOptions& options = {});

}  // namespace convscope
