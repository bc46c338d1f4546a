// The shape rule shared by the sliding-window convolutions (Conv1D,
// DepthwiseConv1D, SeparableConv1D): channel check, groups, padding, length.
#pragma once

#include <functional>
#include <optional>

#include "kernels/conv1d.hpp"
#include "layers/forward_support.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

struct ConvShapeParams {
    std::string_view type;        // "Conv1D" in explanations
    int64_t kernel = 1, stride = 1, dilation = 1, groups = 1;
    layer_support::PaddingSpec padding;
    kernels::PadMode pad_mode = kernels::PadMode::Zeros;  // what the padded steps hold (PyTorch padding_mode)
    std::optional<int64_t> in_channels;  // declared (PyTorch in_channels / a built Keras kernel)
    int64_t filters = 0;          // output channels; 0: in_channels * depth_multiplier
    int64_t depth_multiplier = 1;
    // Overflow-aware: the caller turns an overflow into a shape error naming the layer.
    std::function<CheckedInt(int64_t in_channels, int64_t out_channels)> count_params;
};

ShapeOutcome infer_conv_shape(const ConvShapeParams& p, const TensorType& in, const LayerContext& ctx);
std::string conv_length_rule(const ConvShapeParams& p);

// The kernel geometry for an input of `length` steps and `in_channels` channels.
kernels::Conv1dGeometry conv_geometry(const ConvShapeParams& p, int64_t in_channels, int64_t length,
                                      kernels::PadMode mode);
// Runs the convolution through the BLAS-backed kernel; weight in PyTorch layout.
Tensor run_conv(const ConvShapeParams& p, kernels::PadMode mode, std::span<const float> weight,
                std::span<const float> bias, const ForwardArgs& args);
// A conv layer's whole forward: its weights from `args`, the kernel, then the activation.
Tensor conv_layer_forward(const ConvShapeParams& p, kernels::PadMode mode, bool use_bias, const std::string& activation,
                          const ForwardArgs& args, const std::string& weight_name = "weight");
StepMask conv_contamination(const ConvShapeParams& p, DataFormat f, const StepMask& in, const TensorType& out);
kernels::PadMode parse_pad_mode(const std::string& name);

// Conv1D, DepthwiseConv1D and SeparableConv1D: one sliding window over the length,
// described by shape_params(); they differ in weights and forward.
class SlidingConvKind : public LayerKind {
public:
    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        return infer_conv_shape(shape_params(spec), in, ctx);
    }
    StepMap step_map(const LayerSpec& spec, DataFormat) const final {
        const auto p = shape_params(spec);
        return {layer_support::dilated_extent(p.kernel, p.dilation), static_cast<double>(p.stride), false};
    }
    std::string length_rule(const LayerSpec& spec, DataFormat) const final { return conv_length_rule(shape_params(spec)); }
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const final {
        return conv_contamination(shape_params(spec), f, in, out);
    }

protected:
    virtual ConvShapeParams shape_params(const LayerSpec& spec) const = 0;
};

}  // namespace convscope
