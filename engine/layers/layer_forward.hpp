// What a layer's forward pass receives and how masks and padding flow through
// it. Implemented in each layer's own file next to its shape rule.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernels/conv_workspace.hpp"
#include "tensor/data_format.hpp"
#include "tensor/step_mask.hpp"
#include "tensor/tensor.hpp"

namespace convscope {

// One learned tensor of a layer, in PyTorch's layout (the canonical one) and
// Keras' layout, with the permutation that takes Keras' to PyTorch's.
struct WeightSpec {
    std::string torch_name;   // "weight", "bias", "running_mean", ... (state_dict suffix)
    Shape torch_shape;
    std::string keras_name;   // "kernel", "bias", "moving_mean", ...
    Shape keras_shape;
    enum class Init { GlorotOrKaiming, Bias, Zeros, Ones } init = Init::GlorotOrKaiming;
    int64_t fan_in = 1, fan_out = 1;  // for the initialisers
    // How a Keras tensor becomes the PyTorch one.
    enum class FromKeras { Same, ReverseAxes, Transpose2D, DepthwiseKernel, PointwiseKernel } from_keras = FromKeras::Same;
};

// Weights by torch_name.
using LayerWeights = std::map<std::string, Tensor>;

// How a layer treats a Keras mask (docs/MASKING.md lists every layer).
enum class MaskRule {
    Produce,    // Masking: makes the mask
    Propagate,  // element-wise or per-step layers: passes it on unchanged
    Consume,    // uses it (mask-aware pooling) and ends it
    Drop,       // ignores it; Keras removes it here
};

struct ForwardArgs {
    const Tensor& in;
    const LayerWeights& weights;
    DataFormat format;
    kernels::ConvWorkspace& workspace;
    const StepMask* mask;  // the incoming mask, or null
};

}  // namespace convscope
