// SeparableConv1D (Keras): a depthwise convolution followed by a 1x1 pointwise
// convolution to `filters` channels.
// L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1
// params = k * C_in * dm  +  C_in * dm * filters  +  filters (bias)
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/conv_shape.hpp"
#include "layers/forward_support.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class SeparableConv1DKind final : public SlidingConvKind {
public:
    SeparableConv1DKind()
        : schema_{common_params::filters(),      common_params::kernel_size(),      common_params::strides(),
                  common_params::padding(true),  common_params::depth_multiplier(), common_params::dilation_rate(),
                  common_params::use_bias(),     common_params::activation(),       common_params::in_channels()} {}

    std::string_view type() const override { return "SeparableConv1D"; }
    std::string_view summary() const override {
        return "Depthwise convolution per channel, then a 1x1 convolution mixing channels into `filters`.";
    }
    std::span<const ParamInfo> params() const override { return schema_; }


    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat f) const override {
        const int64_t c = in.shape[channels_axis(f)];
        const int64_t dm = get_int(spec, schema_, "depth_multiplier");
        const int64_t k = get_int(spec, schema_, "kernel_size");
        const int64_t filters = get_int(spec, schema_, "filters");
        auto depthwise = forward_support::conv_weights(c * dm, 1, k, false, c);
        depthwise[0].torch_name = "depthwise_weight";
        depthwise[0].keras_name = "depthwise_kernel";
        depthwise[0].keras_shape = Shape{k, c, dm};
        depthwise[0].from_keras = WeightSpec::FromKeras::DepthwiseKernel;
        auto pointwise = forward_support::conv_weights(filters, c * dm, 1, get_bool(spec, schema_, "use_bias"));
        pointwise[0].torch_name = "pointwise_weight";
        pointwise[0].keras_name = "pointwise_kernel";
        pointwise[0].from_keras = WeightSpec::FromKeras::PointwiseKernel;
        depthwise.insert(depthwise.end(), pointwise.begin(), pointwise.end());
        return depthwise;
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const auto p = shape_params(spec);
        ConvShapeParams depthwise = p;
        depthwise.filters = 0;
        depthwise.depth_multiplier = get_int(spec, schema_, "depth_multiplier");
        depthwise.groups = args.in.shape[channels_axis(args.format)];
        const Tensor mid = conv_layer_forward(depthwise, kernels::PadMode::Zeros, false, "linear", args, "depthwise_weight");
        ConvShapeParams pointwise;
        pointwise.kernel = 1;
        pointwise.filters = p.filters;
        return conv_layer_forward(pointwise, kernels::PadMode::Zeros, get_bool(spec, schema_, "use_bias"),
                                  get_string(spec, schema_, "activation"),
                                  ForwardArgs{mid, args.weights, args.format, args.workspace, args.mask}, "pointwise_weight");
    }

private:
    ConvShapeParams shape_params(const LayerSpec& spec) const override {
        ConvShapeParams p;
        p.type = "SeparableConv1D";
        p.kernel = get_int(spec, schema_, "kernel_size");
        p.stride = get_int(spec, schema_, "strides");
        p.dilation = get_int(spec, schema_, "dilation_rate");
        p.padding = parse_padding(value(spec, schema_, "padding"));
        p.in_channels = get_optional_int(spec, schema_, "in_channels");
        p.filters = get_int(spec, schema_, "filters");
        const int64_t dm = get_int(spec, schema_, "depth_multiplier");
        const bool bias = get_bool(spec, schema_, "use_bias");
        const int64_t k = p.kernel;
        p.count_params = [k, dm, bias](int64_t cin, int64_t cout) {
            // depthwise k * C_in * dm, pointwise C_in * dm * C_out, bias C_out
            return CheckedInt(k) * cin * dm + CheckedInt(cin) * dm * cout + (bias ? cout : 0);
        };
        return p;
    }
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& separable_conv1d_kind() {
    static const SeparableConv1DKind kind;
    return kind;
}

}  // namespace convscope
