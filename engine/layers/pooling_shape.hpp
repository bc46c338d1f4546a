// The shape rule shared by MaxPooling1D and AveragePooling1D.
#pragma once

#include "layers/layer_kind.hpp"
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

// MaxPooling1D and AveragePooling1D differ only in their schema and reduction.
class WindowPoolingKind : public LayerKind {
public:
    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const final {
        return infer_pool_shape(shape_params(spec), in, ctx);
    }
    StepMap step_map(const LayerSpec& spec, DataFormat) const final {
        const auto p = shape_params(spec);
        return {layer_support::dilated_extent(p.pool, p.dilation), static_cast<double>(p.stride), false};
    }
    std::string length_rule(const LayerSpec& spec, DataFormat) const final { return pool_length_rule(shape_params(spec)); }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const final {
        return run_pool(shape_params(spec), is_max(), count_include_pad(spec), args);
    }
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const final {
        return pool_contamination(shape_params(spec), f, in, out);
    }

protected:
    virtual PoolShapeParams shape_params(const LayerSpec& spec) const = 0;
    virtual bool is_max() const = 0;
    virtual bool count_include_pad(const LayerSpec&) const { return false; }
};

}  // namespace convscope
