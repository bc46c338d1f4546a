// Conv1DTranspose (Keras) / nn.ConvTranspose1d (PyTorch): upsampling convolution.
// PyTorch, integer or [l, r] padding:  L_out = (L - 1)*s - pad_l - pad_r + d*(k-1) + output_padding + 1
// Keras, output_padding unset:         valid: L*s + max(d*(k-1) + 1 - s, 0);  same: L*s
// Keras, output_padding set:           (L - 1)*s + d*(k-1) + 1 - 2*pad + output_padding, pad = 0 | floor((d*(k-1)+1)/2)
// params = C_in * (filters / groups) * k + filters (bias)
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "kernels/conv_transpose1d.hpp"
#include "layers/common_params.hpp"
#include "layers/forward_support.hpp"
#include "layers/framework_messages.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
namespace fm = framework_messages;

namespace {

class Conv1DTransposeKind final : public LayerKind {
public:
    Conv1DTransposeKind()
        : schema_{common_params::filters(),
                  common_params::kernel_size(),
                  common_params::strides(),
                  common_params::padding(false),
                  {"output_padding", ParamKind::OptionalInt, nullptr,
                   "Extra steps added on the right of the output to pick one of the lengths that stride allows; must "
                   "be smaller than strides (or dilation).",
                   {}, 0, static_cast<double>(limits::kMaxPadding)},
                  common_params::dilation_rate(),
                  common_params::groups(),
                  common_params::use_bias(),
                  common_params::activation(),
                  common_params::in_channels()} {}

    std::string_view type() const override { return "Conv1DTranspose"; }
    std::string_view summary() const override {
        return "Transposed convolution: spreads each step over `kernel_size` outputs, upsampling by `strides`.";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    Status validate(const LayerSpec& spec) const override {
        const auto op = get_optional_int(spec, schema_, "output_padding");
        const int64_t s = get_int(spec, schema_, "strides"), d = get_int(spec, schema_, "dilation_rate");
        if (op && *op >= std::max(s, d))
            return make_error("field \"output_padding\": " + std::to_string(*op) +
                              " must be smaller than strides or dilation_rate (" + std::to_string(std::max(s, d)) + ")");
        const int64_t g = get_int(spec, schema_, "groups");
        if (get_int(spec, schema_, "filters") % g != 0)
            return make_error("field \"groups\": " + std::to_string(g) + " does not divide filters");
        return Ok{};
    }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        if (auto f = require_sequence(in, ctx, "conv_transpose1d")) return ShapeOutcome::fail(*f);
        const int64_t c_axis = channels_axis(ctx.format), l_axis = length_axis(ctx.format);
        const int64_t channels = in.shape[c_axis], length = in.shape[l_axis];
        const int64_t filters = get_int(spec, schema_, "filters"), k = get_int(spec, schema_, "kernel_size");
        const int64_t g = get_int(spec, schema_, "groups");
        if (auto declared = get_optional_int(spec, schema_, "in_channels"); declared && *declared != channels) {
            std::string torch = "Given transposed=1, weight of size " +
                                fm::shape_list(Shape{*declared, filters / g, k}) + ", expected input" +
                                fm::shape_list(in.shape) + " to have " + std::to_string(*declared) +
                                " channels, but got " + std::to_string(channels) + " channels instead";
            return ShapeOutcome::fail(channel_mismatch(in, ctx, "Conv1DTranspose",
                                                       "in_channels=" + std::to_string(*declared), *declared, torch));
        }
        if (channels % g != 0) {
            LayerFailure f;
            f.kind = MistakeKind::InvalidParameters;
            f.axis = c_axis;
            f.role = AxisRole::Channels;
            f.expected = "input channels a multiple of " + std::to_string(g) + " (groups=" + std::to_string(g) + ")";
            f.actual = std::to_string(channels) + " input channels";
            f.explanation = "groups=" + std::to_string(g) + " does not divide the " + std::to_string(channels) +
                            " input channels of \"" + std::string(ctx.name) + "\".";
            f.framework_message = ctx.format == DataFormat::ChannelsLast ? fm::keras_groups(g, channels, in.shape)
                                                                          : fm::torch_groups_divide("in_channels");
            return ShapeOutcome::fail(f);
        }
        const CheckedInt out_checked = output_length(spec, length);
        if (auto f = check_size(in, ctx, "Conv1DTranspose", "the output length (" + length_rule(spec, ctx.format) + " with L = " +
                                    std::to_string(length) + ")",
                                out_checked, limits::kMaxDimension, "steps", l_axis);
            f && !(out_checked.ok() && out_checked.value() < 1))
            return ShapeOutcome::fail(*f);
        const int64_t out_len = out_checked.value();
        if (out_len < 1) {
            LayerFailure f;
            f.kind = MistakeKind::SequenceTooShort;
            f.axis = l_axis;
            f.role = AxisRole::Length;
            f.expected = "an output of at least 1 step";
            f.actual = std::to_string(out_len) + " steps";
            f.explanation = "The padding of \"" + std::string(ctx.name) + "\" removes more steps than the transposed "
                            "convolution produces from " + std::to_string(length) + " input steps.";
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? fm::keras_negative_output(length, k, get_int(spec, schema_, "strides"))
                                      : "Given input size per channel: (" + std::to_string(length) +
                                            "). Calculated output size per channel: (" + std::to_string(out_len) +
                                            "). Output size is too small";
            return ShapeOutcome::fail(f);
        }
        // params = C_in * (filters / groups) * k + filters (bias)
        const CheckedInt params =
            CheckedInt(channels) * (filters / g) * k + (get_bool(spec, schema_, "use_bias") ? filters : 0);
        if (auto f = check_size(in, ctx, "Conv1DTranspose", "the parameter count", params, limits::kMaxElements, "parameters"))
            return ShapeOutcome::fail(*f);
        return ShapeOutcome::success(TensorType::sequence(ctx.format, in.shape[0], out_len, filters), params.value());
    }

    StepMap step_map(const LayerSpec& spec, DataFormat) const override {
        const int64_t s = get_int(spec, schema_, "strides");
        const int64_t extent = dilated_extent(get_int(spec, schema_, "kernel_size"), get_int(spec, schema_, "dilation_rate"));
        return {(extent + s - 1) / s, 1.0 / static_cast<double>(s), false};
    }

    std::string length_rule(const LayerSpec& spec, DataFormat) const override {
        const int64_t s = get_int(spec, schema_, "strides");
        const int64_t extent = dilated_extent(get_int(spec, schema_, "kernel_size"), get_int(spec, schema_, "dilation_rate"));
        const auto pad = parse_padding(value(spec, schema_, "padding"));
        const auto op = get_optional_int(spec, schema_, "output_padding");
        const std::string sl = s == 1 ? "L" : "L*" + std::to_string(s);
        if (pad.mode != PaddingSpec::Mode::Explicit && !op) {
            if (pad.mode == PaddingSpec::Mode::Same) return sl;
            const int64_t add = std::max<int64_t>(extent - s, 0);
            return add ? sl + " + " + std::to_string(add) : sl;
        }
        const int64_t removed = pad.mode == PaddingSpec::Mode::Explicit ? pad.left + pad.right
                                : pad.mode == PaddingSpec::Mode::Same   ? 2 * (extent / 2)
                                                                        : 0;
        const int64_t c = extent - removed + op.value_or(0) - s;  // (L-1)*s + extent - removed + op
        return c == 0 ? sl : c > 0 ? sl + " + " + std::to_string(c) : sl + " - " + std::to_string(-c);
    }

    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat f) const override {
        const int64_t cin = in.shape[channels_axis(f)];
        const int64_t filters = get_int(spec, schema_, "filters"), k = get_int(spec, schema_, "kernel_size");
        const int64_t g = get_int(spec, schema_, "groups");
        auto w = forward_support::conv_weights(filters, cin / g, k, get_bool(spec, schema_, "use_bias"), g);
        // PyTorch: [C_in, C_out/groups, K]; Keras: [K, C_out, C_in].
        w[0].torch_shape = Shape{cin, filters / g, k};
        w[0].keras_shape = Shape{k, filters / g, cin};
        w[0].fan_in = filters / g * k;
        w[0].fan_out = cin * k;
        if (w.size() > 1) w[1].fan_in = w[0].fan_in;
        return w;
    }

    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const Tensor& x = args.in;
        const int64_t length = x.shape[length_axis(args.format)];
        const auto g = geometry(spec, x.shape[channels_axis(args.format)]);
        const int64_t out_length = kernels::conv_transpose1d_output_length(g, length);
        Tensor y(TensorType::sequence(args.format, x.shape[0], out_length, g.out_channels).shape);
        std::span<const float> bias;
        if (get_bool(spec, schema_, "use_bias"))
            bias = forward_support::values_of(args.weights, "bias", static_cast<size_t>(g.out_channels));
        const auto weight = forward_support::values_of(
            args.weights, "weight", static_cast<size_t>(g.in_channels * g.out_per_group() * g.kernel_size));
        kernels::conv_transpose1d(g, forward_support::layout_of(args.format), x.shape[0], length, x.data, weight, bias,
                                  y.data, args.workspace);
        forward_support::apply_activation(get_string(spec, schema_, "activation"), y);
        return y;
    }

    // Output t receives input i through tap j when t = i*s - pad_left + j*d.
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const override {
        const auto g = geometry(spec, 1);
        StepMask result(in.batch, out.shape[length_axis(f)]);
        for (int64_t b = 0; b < in.batch; ++b)
            for (int64_t i = 0; i < in.length; ++i) {
                if (!in.at(b, i)) continue;
                for (int64_t j = 0; j < g.kernel_size; ++j) {
                    const int64_t t = i * g.stride - g.pad_left + j * g.dilation;
                    if (t >= 0 && t < result.length) result.at(b, t) = 1;
                }
            }
        return result;
    }

    // Keras' valid/same (with or without output_padding) expressed as PyTorch's
    // crop-left, crop-right and output_padding, so one kernel serves both.
    kernels::ConvTranspose1dGeometry geometry(const LayerSpec& spec, int64_t in_channels) const {
        kernels::ConvTranspose1dGeometry g;
        g.in_channels = in_channels;
        g.out_channels = get_int(spec, schema_, "filters");
        g.kernel_size = get_int(spec, schema_, "kernel_size");
        g.stride = get_int(spec, schema_, "strides");
        g.dilation = get_int(spec, schema_, "dilation_rate");
        g.groups = get_int(spec, schema_, "groups");
        const int64_t extent = dilated_extent(g.kernel_size, g.dilation);
        const auto pad = parse_padding(value(spec, schema_, "padding"));
        const auto op = get_optional_int(spec, schema_, "output_padding");
        if (pad.mode == PaddingSpec::Mode::Explicit) {
            g.pad_left = pad.left;
            g.pad_right = pad.right;
            g.output_padding = op.value_or(0);
        } else if (op) {
            g.pad_left = g.pad_right = pad.mode == PaddingSpec::Mode::Same ? extent / 2 : 0;
            g.output_padding = *op;
        } else {
            const int64_t total = pad.mode == PaddingSpec::Mode::Same ? std::max<int64_t>(extent - g.stride, 0) : 0;
            g.pad_left = total / 2;
            g.pad_right = total - total / 2;
            g.output_padding = std::max<int64_t>(g.stride - extent, 0);
        }
        return g;
    }

    // L_out = (L - 1)*s - p_l - p_r + d*(k-1) + 1 + output_padding (PyTorch), L*s for Keras 'same',
    // L*s + max(extent - s, 0) for 'valid'; overflow-aware because L*s may pass 64 bits.
    CheckedInt output_length(const LayerSpec& spec, int64_t length) const {
        const int64_t s = get_int(spec, schema_, "strides");
        const int64_t extent = dilated_extent(get_int(spec, schema_, "kernel_size"), get_int(spec, schema_, "dilation_rate"));
        const auto pad = parse_padding(value(spec, schema_, "padding"));
        const auto op = get_optional_int(spec, schema_, "output_padding");
        const CheckedInt L(length);
        if (pad.mode == PaddingSpec::Mode::Explicit)
            return (L - 1) * s - pad.left - pad.right + extent + op.value_or(0);
        if (!op) return pad.mode == PaddingSpec::Mode::Same ? L * s : L * s + std::max<int64_t>(extent - s, 0);
        const int64_t p = pad.mode == PaddingSpec::Mode::Same ? extent / 2 : 0;
        return (L - 1) * s + extent - 2 * p + *op;
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& conv1d_transpose_kind() {
    static const Conv1DTransposeKind kind;
    return kind;
}

}  // namespace convscope
