// The shape rule shared by MaxPooling1D and AveragePooling1D.
#pragma once

#include "layers/layer_support.hpp"

namespace convscope {

struct PoolShapeParams {
    std::string_view type;
    int64_t pool = 2, stride = 2, dilation = 1;
    layer_support::PaddingSpec padding;
    bool ceil_mode = false;
};

// Keras 'valid': floor((L - k) / s) + 1;  'same': ceil(L / s);
// PyTorch: L_out = floor_or_ceil((L + p_l + p_r - d*(k-1) - 1) / s) + 1, and with ceil_mode the last
// window must start inside the input or left padding: if (L_out - 1)*s >= L + p_l then L_out -= 1.
int64_t pool_output_length(const PoolShapeParams& p, int64_t length);
ShapeOutcome infer_pool_shape(const PoolShapeParams& p, const TensorType& in, const LayerContext& ctx);
std::string pool_length_rule(const PoolShapeParams& p);

// Max or average over each window. Padded steps never win a max; an average
// counts them only with count_include_pad (PyTorch's default for explicit
// padding; Keras' 'same' never does).
Tensor run_pool(const PoolShapeParams& p, bool is_max, bool count_include_pad, const ForwardArgs& args);
StepMask pool_contamination(const PoolShapeParams& p, DataFormat f, const StepMask& in, const TensorType& out);

}  // namespace convscope
