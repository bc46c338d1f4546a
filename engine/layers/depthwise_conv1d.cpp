// DepthwiseConv1D (Keras) / nn.Conv1d with groups = in_channels (PyTorch):
// one kernel per input channel, `depth_multiplier` outputs each.
// L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1
// params = k * C_in * depth_multiplier + C_in * depth_multiplier (bias)
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/conv_shape.hpp"
#include "layers/forward_support.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class DepthwiseConv1DKind final : public SlidingConvKind {
public:
    DepthwiseConv1DKind()
        : schema_{common_params::kernel_size(),      common_params::strides(),  common_params::padding(true),
                  common_params::depth_multiplier(), common_params::dilation_rate(), common_params::use_bias(),
                  common_params::activation(),       common_params::padding_mode(), common_params::in_channels()} {}

    std::string_view type() const override { return "DepthwiseConv1D"; }
    std::string_view summary() const override {
        return "One kernel per input channel, no mixing across channels (PyTorch: Conv1d with groups=in_channels).";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        auto p = shape_params(spec);
        // groups equal the actual channel count; the channel check happens against in_channels.
        if (in.rank() == 3) p.groups = in.shape[channels_axis(ctx.format)];
        if (p.in_channels) p.groups = *p.in_channels;
        if (p.groups < 1) p.groups = 1;
        return infer_conv_shape(p, in, ctx);
    }

    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat f) const override {
        const int64_t c = in.shape[channels_axis(f)];
        const int64_t dm = get_int(spec, schema_, "depth_multiplier");
        auto w = forward_support::conv_weights(c * dm, 1, get_int(spec, schema_, "kernel_size"),
                                               get_bool(spec, schema_, "use_bias"), c);
        // Keras keeps depthwise_kernel as [K, C, depth_multiplier].
        w[0].keras_name = "depthwise_kernel";
        w[0].keras_shape = Shape{get_int(spec, schema_, "kernel_size"), c, dm};
        w[0].from_keras = WeightSpec::FromKeras::DepthwiseKernel;
        return w;
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        auto p = shape_params(spec);
        p.groups = args.in.shape[channels_axis(args.format)];
        return conv_layer_forward(p, parse_pad_mode(get_string(spec, schema_, "padding_mode")),
                                  get_bool(spec, schema_, "use_bias"), get_string(spec, schema_, "activation"), args);
    }

private:
    ConvShapeParams shape_params(const LayerSpec& spec) const override {
        ConvShapeParams p;
        p.type = "DepthwiseConv1D";
        p.kernel = get_int(spec, schema_, "kernel_size");
        p.stride = get_int(spec, schema_, "strides");
        p.dilation = get_int(spec, schema_, "dilation_rate");
        p.padding = parse_padding(value(spec, schema_, "padding"));
        p.pad_mode = parse_pad_mode(get_string(spec, schema_, "padding_mode"));
        p.in_channels = get_optional_int(spec, schema_, "in_channels");
        p.filters = 0;
        p.depth_multiplier = get_int(spec, schema_, "depth_multiplier");
        const bool bias = get_bool(spec, schema_, "use_bias");
        const int64_t k = p.kernel;
        // params = k * C_out + C_out (bias), one k-tap filter per output channel
        p.count_params = [k, bias](int64_t, int64_t cout) { return CheckedInt(k) * cout + (bias ? cout : 0); };
        return p;
    }
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& depthwise_conv1d_kind() {
    static const DepthwiseConv1DKind kind;
    return kind;
}

}  // namespace convscope
