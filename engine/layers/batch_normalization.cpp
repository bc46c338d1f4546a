// BatchNormalization (Keras, axis=-1) / nn.BatchNorm1d(num_features) (PyTorch, axis 1):
// normalises each channel over batch and steps. Shape unchanged.
// params = 4 * C (gamma, beta trainable; moving mean and variance not)
#include <cmath>

#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/forward_support.hpp"
#include "layers/framework_messages.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
namespace fm = framework_messages;

namespace {

class BatchNormalizationKind final : public LayerKind {
public:
    BatchNormalizationKind()
        : schema_{{"momentum", ParamKind::Float, 0.99, "Keras' moving-average momentum (PyTorch's momentum = 1 - this).", {}, 0, 1},
                  {"epsilon", ParamKind::Float, 0.001, "Added to the variance to avoid dividing by zero.", {}, 0, 1},
                  {"center", ParamKind::Bool, true, "Learn an offset (beta)."},
                  {"scale", ParamKind::Bool, true, "Learn a scale (gamma)."},
                  {"num_features", ParamKind::OptionalInt, nullptr,
                   "Channels the layer was built for (PyTorch's num_features). Leave empty to infer it.", {}, 1, static_cast<double>(limits::kMaxUnits)}} {}
    std::string_view type() const override { return "BatchNormalization"; }
    std::string_view summary() const override {
        return "Normalises every channel with batch statistics (PyTorch nn.BatchNorm1d).";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        const int64_t axis = in.rank() == 3 ? channels_axis(ctx.format) : in.rank() - 1;
        // channels_first is PyTorch's BatchNorm1d, which refuses more than 3 axes; Keras (channels_last)
        // normalises the last axis of any rank.
        if (in.rank() < 2 || (in.rank() > 3 && ctx.format == DataFormat::ChannelsFirst)) {
            LayerFailure f;
            f.kind = MistakeKind::RankMismatch;
            f.expected = "2 or 3 axes";
            f.actual = std::to_string(in.rank()) + (in.rank() == 1 ? " axis " : " axes ") + in.shape.to_string();
            f.explanation = in.rank() < 2 ? "BatchNormalization needs (batch, features) or a sequence batch."
                                          : "BatchNormalization (PyTorch's BatchNorm1d) needs (batch, features) or "
                                            "(batch, channels, length), but gets " + std::to_string(in.rank()) +
                                                " axes " + in.shape.to_string() + ".";
            f.framework_message = "expected 2D or 3D input (got " + std::to_string(in.rank()) + "D input)";
            return ShapeOutcome::fail(f);
        }
        const int64_t channels = in.shape[axis];
        if (auto declared = get_optional_int(spec, schema_, "num_features"); declared && *declared != channels) {
            if (in.rank() == 3)
                return ShapeOutcome::fail(channel_mismatch(in, ctx, "BatchNormalization",
                                                           "num_features=" + std::to_string(*declared), *declared,
                                                           fm::torch_batchnorm(channels, *declared)));
            LayerFailure f;
            f.kind = MistakeKind::FeatureMismatch;
            f.axis = axis;
            f.role = AxisRole::Features;
            f.expected = std::to_string(*declared) + " features";
            f.actual = std::to_string(channels) + " features";
            f.explanation = "BatchNormalization \"" + std::string(ctx.name) + "\" was built for " +
                            std::to_string(*declared) + " features but receives " + std::to_string(channels) + ".";
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? fm::keras_axis_value(ctx.name, -1, *declared, in.shape)
                                      : fm::torch_batchnorm(channels, *declared);
            return ShapeOutcome::fail(f);
        }
        return ShapeOutcome::success(in, 4 * channels);
    }

    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat f) const override {
        const int64_t c = in.shape[in.rank() == 3 ? channels_axis(f) : in.rank() - 1];
        std::vector<WeightSpec> specs;
        if (get_bool(spec, schema_, "scale"))
            specs.push_back(forward_support::vector_weight("weight", "gamma", c, WeightSpec::Init::Ones));
        if (get_bool(spec, schema_, "center"))
            specs.push_back(forward_support::vector_weight("bias", "beta", c, WeightSpec::Init::Zeros));
        specs.push_back(forward_support::vector_weight("running_mean", "moving_mean", c, WeightSpec::Init::Zeros));
        specs.push_back(forward_support::vector_weight("running_var", "moving_variance", c, WeightSpec::Init::Ones));
        return specs;
    }

    // Inference: y = (x - running_mean) / sqrt(running_var + epsilon) * gamma + beta, per channel.
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const Tensor& x = args.in;
        const int64_t axis = x.rank() == 3 ? channels_axis(args.format) : x.rank() - 1;
        const int64_t c = x.shape[axis];
        const auto mean = forward_support::values_of(args.weights, "running_mean", static_cast<size_t>(c));
        const auto var = forward_support::values_of(args.weights, "running_var", static_cast<size_t>(c));
        const bool scale = get_bool(spec, schema_, "scale"), center = get_bool(spec, schema_, "center");
        const auto gamma = scale ? forward_support::values_of(args.weights, "weight", static_cast<size_t>(c)) : std::span<const float>();
        const auto beta = center ? forward_support::values_of(args.weights, "bias", static_cast<size_t>(c)) : std::span<const float>();
        const float eps = static_cast<float>(get_float(spec, schema_, "epsilon"));
        std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
        for (int64_t i = 0; i < c; ++i) {
            const auto k = static_cast<size_t>(i);
            mul[k] = (scale ? gamma[k] : 1.0f) / std::sqrt(var[k] + eps);
            add[k] = (center ? beta[k] : 0.0f) - mean[k] * mul[k];
        }
        Tensor y = x;
        int64_t inner = 1;  // elements after the channel axis
        for (int64_t i = axis + 1; i < x.rank(); ++i) inner *= x.shape[i];
        for (size_t flat = 0; flat < y.data.size(); ++flat) {
            const auto ch = static_cast<size_t>((static_cast<int64_t>(flat) / inner) % c);
            y.data[flat] = y.data[flat] * mul[ch] + add[ch];
        }
        return y;
    }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& batch_normalization_kind() {
    static const BatchNormalizationKind kind;
    return kind;
}

}  // namespace convscope
