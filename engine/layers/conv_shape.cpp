#include "layers/conv_shape.hpp"

#include "common/limits.hpp"
#include "layers/framework_messages.hpp"

namespace convscope {

using namespace layer_support;
namespace fm = framework_messages;

namespace {

// Every refusal names what the parameters needed and what they met, with the numbers (issue 9).
LayerFailure invalid(const TensorType& in, const LayerContext& ctx, std::string expected, std::string actual,
                     std::string explanation, std::string keras, std::string torch, int64_t axis = -1) {
    LayerFailure f;
    f.kind = MistakeKind::InvalidParameters;
    f.axis = axis;
    f.expected = std::move(expected);
    f.actual = std::move(actual);
    if (axis >= 0 && static_cast<size_t>(axis) < in.roles.size()) f.role = in.roles[static_cast<size_t>(axis)];
    f.explanation = std::move(explanation);
    f.framework_message = ctx.format == DataFormat::ChannelsLast ? std::move(keras) : std::move(torch);
    return f;
}

// PyTorch's F.pad mirrors at most length - 1 steps (reflect) and wraps around at most
// once (circular); past that it refuses the input rather than padding it.
std::optional<LayerFailure> pad_mode_reach(const ConvShapeParams& p, const TensorType& in, const LayerContext& ctx,
                                           const PadAmount& pad, int64_t length, int64_t l_axis) {
    const int64_t widest = std::max(pad.left, pad.right);
    const bool reflect = p.pad_mode == kernels::PadMode::Reflect, circular = p.pad_mode == kernels::PadMode::Circular;
    if (widest == 0 || !(reflect ? widest >= length : circular && widest > length)) return std::nullopt;
    const std::string mode = reflect ? "reflect" : "circular";
    const int64_t need = reflect ? widest + 1 : widest;
    LayerFailure f;
    f.kind = MistakeKind::SequenceTooShort;
    f.axis = l_axis;
    f.role = AxisRole::Length;
    f.expected = "at least " + std::to_string(need) + " steps";
    f.actual = std::to_string(length) + " steps";
    f.explanation = std::string(p.type) + " \"" + std::string(ctx.name) + "\" pads " + std::to_string(widest) +
                    " steps in padding_mode='" + mode + "', which needs at least " + std::to_string(need) +
                    " input steps; it gets " + std::to_string(length) +
                    ". Use a longer sequence, less padding, or padding_mode 'zeros' or 'replicate'.";
    f.framework_message =
        reflect ? "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (" +
                      std::to_string(pad.left) + ", " + std::to_string(pad.right) + ") at dimension " +
                      std::to_string(l_axis) + " of input " + fm::shape_list(in.shape)
                : "Padding value causes wrapping around more than once.";
    return f;
}

}  // namespace

ShapeOutcome infer_conv_shape(const ConvShapeParams& p, const TensorType& in, const LayerContext& ctx) {
    if (auto f = require_sequence(in, ctx, "conv1d")) return ShapeOutcome::fail(*f);
    const int64_t c_axis = channels_axis(ctx.format), l_axis = length_axis(ctx.format);
    const int64_t batch = in.shape[0], length = in.shape[l_axis], channels = in.shape[c_axis];
    // Depthwise output channels: C_out = C_in * depth_multiplier.
    const CheckedInt filters_checked = p.filters > 0 ? CheckedInt(p.filters) : CheckedInt(channels) * p.depth_multiplier;
    if (auto f = check_size(in, ctx, p.type,
                            "the output channels (" + std::to_string(channels) + " x depth_multiplier " +
                                std::to_string(p.depth_multiplier) + ")",
                            filters_checked, limits::kMaxDimension, "channels", c_axis))
        return ShapeOutcome::fail(*f);
    const int64_t filters = filters_checked.value();

    if (p.in_channels && *p.in_channels != channels) {
        const Shape weight{p.filters > 0 ? p.filters : *p.in_channels * p.depth_multiplier,
                           *p.in_channels / std::max<int64_t>(p.groups, 1), p.kernel};
        return ShapeOutcome::fail(channel_mismatch(
            in, ctx, p.type, "in_channels=" + std::to_string(*p.in_channels), *p.in_channels,
            fm::torch_conv_channels(p.groups, weight, in.shape, *p.in_channels, channels)));
    }
    if (channels % p.groups != 0 || filters % p.groups != 0) {
        const bool input_side = channels % p.groups != 0;
        const std::string groups = "groups=" + std::to_string(p.groups);
        auto f = invalid(in, ctx,
                         input_side ? "input channels a multiple of " + std::to_string(p.groups) + " (" + groups + ")"
                                    : "filters a multiple of " + std::to_string(p.groups) + " (" + groups + ")",
                         input_side ? std::to_string(channels) + " input channels" : std::to_string(filters) + " filters",
                         std::string(p.type) + " \"" + std::string(ctx.name) + "\" splits channels into groups=" +
                             std::to_string(p.groups) + ", but " +
                             (input_side ? "its " + std::to_string(channels) + " input channels"
                                         : "its " + std::to_string(filters) + " filters") +
                             " do not divide evenly. Choose groups that divides both the input channels and filters.",
                         fm::keras_groups(p.groups, channels, in.shape),
                         fm::torch_groups_divide(input_side ? "in_channels" : "out_channels"),
                         input_side ? c_axis : -1);
        return ShapeOutcome::fail(f);
    }
    if (p.padding.mode == PaddingSpec::Mode::Same && p.stride > 1 && ctx.format == DataFormat::ChannelsFirst) {
        return ShapeOutcome::fail(invalid(
            in, ctx, "stride 1 with padding='same'", "stride " + std::to_string(p.stride) + " with padding='same'",
            "PyTorch accepts padding='same' only with stride 1; " + std::string(p.type) + " \"" +
                std::string(ctx.name) + "\" has stride " + std::to_string(p.stride) +
                ". Give the padding explicitly (Keras' 'same' for this length is shown in the fixes) or use stride 1.",
            "", fm::torch_same_strided()));
    }
    if (p.stride > 1 && p.dilation > 1 && ctx.format == DataFormat::ChannelsLast) {
        return ShapeOutcome::fail(invalid(
            in, ctx, "strides=1 or dilation_rate=1",
            "strides=" + std::to_string(p.stride) + ", dilation_rate=" + std::to_string(p.dilation),
            "Keras' Conv1D does not combine strides > 1 with dilation_rate > 1 (\"" + std::string(ctx.name) +
                "\" has strides=" + std::to_string(p.stride) + ", dilation_rate=" + std::to_string(p.dilation) +
                "). Use one of them, or two layers.",
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(" +
                std::to_string(p.stride) + ",) and dilation_rate=(" + std::to_string(p.dilation) + ",)",
            ""));
    }
    if (p.padding.mode == PaddingSpec::Mode::Causal && ctx.format == DataFormat::ChannelsLast && p.type != "Conv1D") {
        return ShapeOutcome::fail(invalid(in, ctx, "padding 'valid' or 'same'", "padding 'causal'",
                                          std::string(p.type) + " does not support padding='causal' in Keras; only "
                                                                "Conv1D does. Use 'valid' or 'same'.",
                                          "Invalid padding: causal", ""));
    }
    const int64_t extent = dilated_extent(p.kernel, p.dilation);
    const PadAmount pad = resolve_padding(p.padding, length, extent, p.stride);
    if (auto f = pad_mode_reach(p, in, ctx, pad, length, l_axis)) return ShapeOutcome::fail(*f);
    const int64_t out_len = window_output_length(length, pad, extent, p.stride);
    if (out_len < 1)
        return ShapeOutcome::fail(
            too_short(in, ctx, p.type, length + pad.left + pad.right, extent, p.stride, out_len, false));
    const CheckedInt params = p.count_params ? p.count_params(channels, filters) : CheckedInt(0);
    if (auto f = check_size(in, ctx, p.type, "the parameter count", params, limits::kMaxElements, "parameters"))
        return ShapeOutcome::fail(*f);
    return ShapeOutcome::success(TensorType::sequence(ctx.format, batch, out_len, filters), params.value());
}

std::string conv_length_rule(const ConvShapeParams& p) {
    return window_length_rule(p.padding, dilated_extent(p.kernel, p.dilation), p.stride);
}

kernels::PadMode parse_pad_mode(const std::string& name) {
    if (name == "reflect") return kernels::PadMode::Reflect;
    if (name == "replicate") return kernels::PadMode::Replicate;
    if (name == "circular") return kernels::PadMode::Circular;
    return kernels::PadMode::Zeros;
}

kernels::Conv1dGeometry conv_geometry(const ConvShapeParams& p, int64_t in_channels, int64_t length,
                                      kernels::PadMode mode) {
    const int64_t extent = dilated_extent(p.kernel, p.dilation);
    const PadAmount pad = resolve_padding(p.padding, length, extent, p.stride);
    kernels::Conv1dGeometry g;
    g.in_channels = in_channels;
    g.out_channels = p.filters > 0 ? p.filters : in_channels * p.depth_multiplier;
    g.kernel_size = p.kernel;
    g.stride = p.stride;
    g.dilation = p.dilation;
    g.groups = p.groups;
    g.pad_left = pad.left;
    g.pad_right = pad.right;
    g.pad_mode = mode;
    return g;
}

Tensor run_conv(const ConvShapeParams& p, kernels::PadMode mode, std::span<const float> weight,
                std::span<const float> bias, const ForwardArgs& args) {
    const Tensor& x = args.in;
    const int64_t length = x.shape[length_axis(args.format)];
    const auto g = conv_geometry(p, x.shape[channels_axis(args.format)], length, mode);
    const int64_t out_length = kernels::conv1d_output_length(g, length);
    Tensor y(TensorType::sequence(args.format, x.shape[0], out_length, g.out_channels).shape);
    kernels::conv1d(g, forward_support::layout_of(args.format), x.shape[0], length, x.data, weight, bias, y.data,
                    args.workspace);
    return y;
}

StepMask conv_contamination(const ConvShapeParams& p, DataFormat f, const StepMask& in, const TensorType& out) {
    const int64_t extent = dilated_extent(p.kernel, p.dilation);
    const PadAmount pad = resolve_padding(p.padding, in.length, extent, p.stride);
    return forward_support::window_contamination(in, out.shape[length_axis(f)], p.stride, pad.left, p.dilation, p.kernel);
}

Tensor conv_layer_forward(const ConvShapeParams& p, kernels::PadMode mode, bool use_bias, const std::string& activation,
                          const ForwardArgs& args, const std::string& weight_name) {
    const int64_t cin = args.in.shape[channels_axis(args.format)];
    const int64_t cout = p.filters > 0 ? p.filters : cin * p.depth_multiplier;
    const auto weight = forward_support::values_of(args.weights, weight_name,
                                                   static_cast<size_t>(cout * (cin / p.groups) * p.kernel));
    const auto bias = use_bias ? forward_support::values_of(args.weights, "bias", static_cast<size_t>(cout))
                               : std::span<const float>();
    Tensor y = run_conv(p, mode, weight, bias, args);
    forward_support::apply_activation(activation, y);
    return y;
}

}  // namespace convscope
