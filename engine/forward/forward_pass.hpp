// Running a stack on data: every layer's output, the Keras mask as it flows,
// and for every output the steps that padding or masked input reached.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "forward/stack_weights.hpp"
#include "tensor/step_mask.hpp"
#include "tensor/tensor.hpp"

namespace convscope {

struct LayerOutput {
    int64_t index = 0;            // position in the stack
    std::string name;
    Tensor value;                 // in the stack's data format
    std::optional<StepMask> mask;  // the Keras mask after this layer (1 = real step), if any
    StepMask contamination;        // 1 = this output step's receptive field touches a padded or masked input step
};

struct ForwardOptions {
    std::optional<StepMask> input_padding;  // 1 = a step added by padding
    std::optional<StepMask> input_mask;     // 1 = a real step; a mask from padding, as Keras would carry it
    // Called before each layer with (layers done, layers total); return false to cancel.
    std::function<bool(size_t, size_t)> progress;
};

struct ForwardResult {
    Trace trace;                      // shapes; when it fails, no layer runs
    std::vector<LayerOutput> outputs;  // one per enabled layer, in order
    bool cancelled = false;
    bool ok() const { return trace.ok() && !cancelled; }
};

// `input` has the data's shape (as traced). Weight errors (missing or wrongly
// shaped tensors) are returned as errors; shape errors are in the trace.
Result<ForwardResult> run_forward(const Stack& stack, const Tensor& input, const StackWeights& weights,
                                  const ForwardOptions& options = {});

}  // namespace convscope
