// Conv1D (Keras) / nn.Conv1d (PyTorch): a sliding kernel over the length axis.
// L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1
// params = k * (C_in / groups) * filters + filters (bias)
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/conv_shape.hpp"
#include "layers/forward_support.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class Conv1DKind final : public SlidingConvKind {
public:
    Conv1DKind()
        : schema_{common_params::filters(),     common_params::kernel_size(), common_params::strides(),
                  common_params::padding(true), common_params::dilation_rate(), common_params::groups(),
                  common_params::use_bias(),    common_params::activation(),  common_params::padding_mode(),
                  common_params::in_channels()} {}

    std::string_view type() const override { return "Conv1D"; }
    std::string_view summary() const override {
        return "Slides `filters` kernels of `kernel_size` steps along the sequence (PyTorch nn.Conv1d).";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    Status validate(const LayerSpec& spec) const override {
        const auto p = shape_params(spec);
        if (p.filters % p.groups != 0)
            return make_error("field \"groups\": " + std::to_string(p.groups) + " does not divide filters=" +
                              std::to_string(p.filters));
        if (p.in_channels && *p.in_channels % p.groups != 0)
            return make_error("field \"groups\": " + std::to_string(p.groups) + " does not divide in_channels=" +
                              std::to_string(*p.in_channels));
        return Ok{};
    }



    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat f) const override {
        const auto p = shape_params(spec);
        return forward_support::conv_weights(p.filters, in.shape[channels_axis(f)] / p.groups, p.kernel,
                                             get_bool(spec, schema_, "use_bias"), p.groups);
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        return conv_layer_forward(shape_params(spec), parse_pad_mode(get_string(spec, schema_, "padding_mode")),
                                  get_bool(spec, schema_, "use_bias"), get_string(spec, schema_, "activation"), args);
    }

private:
    ConvShapeParams shape_params(const LayerSpec& spec) const override {
        ConvShapeParams p;
        p.type = "Conv1D";
        p.kernel = get_int(spec, schema_, "kernel_size");
        p.stride = get_int(spec, schema_, "strides");
        p.dilation = get_int(spec, schema_, "dilation_rate");
        p.groups = get_int(spec, schema_, "groups");
        p.padding = parse_padding(value(spec, schema_, "padding"));
        p.pad_mode = parse_pad_mode(get_string(spec, schema_, "padding_mode"));
        p.in_channels = get_optional_int(spec, schema_, "in_channels");
        p.filters = get_int(spec, schema_, "filters");
        const bool bias = get_bool(spec, schema_, "use_bias");
        const int64_t k = p.kernel, g = p.groups;
        // params = k * (C_in / groups) * C_out + C_out (bias)
        p.count_params = [k, g, bias](int64_t cin, int64_t cout) {
            return CheckedInt(k) * (cin / g) * cout + (bias ? cout : 0);
        };
        return p;
    }
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& conv1d_kind() {
    static const Conv1DKind kind;
    return kind;
}

}  // namespace convscope
