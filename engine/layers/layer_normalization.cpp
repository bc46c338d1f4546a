// LayerNormalization (Keras, axis=-1) / nn.LayerNorm(normalized_shape) (PyTorch): normalises
// each position over the LAST axis. On PyTorch's (batch, channels, length) that is the length axis.
// params = 2 * last dimension (gamma, beta)
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

class LayerNormalizationKind final : public LayerKind {
public:
    LayerNormalizationKind()
        : schema_{{"epsilon", ParamKind::Float, 0.001, "Added to the variance to avoid dividing by zero.", {}, 0, 1},
                  {"center", ParamKind::Bool, true, "Learn an offset (beta)."},
                  {"scale", ParamKind::Bool, true, "Learn a scale (gamma)."},
                  {"normalized_shape", ParamKind::OptionalInt, nullptr,
                   "Size of the last axis the layer was built for (PyTorch's normalized_shape). Leave empty to infer.",
                   {}, 1, static_cast<double>(limits::kMaxUnits)}} {}
    std::string_view type() const override { return "LayerNormalization"; }
    std::string_view summary() const override {
        return "Normalises every position over its last axis (PyTorch nn.LayerNorm).";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        const int64_t last = in.rank() - 1;
        const int64_t size = in.shape[last];
        if (auto declared = get_optional_int(spec, schema_, "normalized_shape"); declared && *declared != size) {
            LayerFailure f;
            f.axis = last;
            f.role = static_cast<size_t>(last) < in.roles.size() ? std::optional(in.roles[static_cast<size_t>(last)])
                                                                  : std::nullopt;
            const bool channels_first_seq = ctx.format == DataFormat::ChannelsFirst && in.rank() == 3;
            f.kind = channels_first_seq && in.shape[1] == *declared ? MistakeKind::ChannelMismatch
                                                                      : MistakeKind::FeatureMismatch;
            f.expected = std::to_string(*declared) + " on the last axis";
            f.actual = std::to_string(size) + " on the last axis of " + in.shape.to_string();
            f.explanation = "LayerNormalization \"" + std::string(ctx.name) + "\" was built for a last axis of " +
                            std::to_string(*declared) + ", but " + in.shape.to_string() + " ends in " +
                            std::to_string(size) + "." +
                            (f.kind == MistakeKind::ChannelMismatch
                                 ? " In (batch, channels, length) the last axis is the length: to normalise channels, "
                                   "permute to (batch, length, channels) first."
                                 : "");
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? fm::keras_axis_value(ctx.name, -1, *declared, in.shape)
                                      : fm::torch_layernorm(*declared, in.shape);
            return ShapeOutcome::fail(f);
        }
        return ShapeOutcome::success(in, 2 * size);
    }

    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat) const override {
        const int64_t n = in.shape[in.rank() - 1];
        std::vector<WeightSpec> specs;
        if (get_bool(spec, schema_, "scale"))
            specs.push_back(forward_support::vector_weight("weight", "gamma", n, WeightSpec::Init::Ones));
        if (get_bool(spec, schema_, "center"))
            specs.push_back(forward_support::vector_weight("bias", "beta", n, WeightSpec::Init::Zeros));
        return specs;
    }

    // Each position normalised over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta.
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        Tensor y = args.in;
        const int64_t n = y.shape[y.rank() - 1];
        const bool scale = get_bool(spec, schema_, "scale"), center = get_bool(spec, schema_, "center");
        const auto gamma = scale ? forward_support::values_of(args.weights, "weight", static_cast<size_t>(n)) : std::span<const float>();
        const auto beta = center ? forward_support::values_of(args.weights, "bias", static_cast<size_t>(n)) : std::span<const float>();
        const double eps = get_float(spec, schema_, "epsilon");
        for (size_t row = 0; n > 0 && row + static_cast<size_t>(n) <= y.data.size(); row += static_cast<size_t>(n)) {
            float* v = y.data.data() + row;
            double mean = 0, var = 0;
            for (int64_t i = 0; i < n; ++i) mean += v[i];
            mean /= static_cast<double>(n);
            for (int64_t i = 0; i < n; ++i) var += (v[i] - mean) * (v[i] - mean);
            var /= static_cast<double>(n);
            const double inv = 1.0 / std::sqrt(var + eps);
            for (int64_t i = 0; i < n; ++i) {
                const auto k = static_cast<size_t>(i);
                v[i] = static_cast<float>((v[i] - mean) * inv * (scale ? gamma[k] : 1.0f) + (center ? beta[k] : 0.0f));
            }
        }
        return y;
    }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }
    // On (batch, channels, length) the statistics run over the length: every output step
    // depends on every input step, so one flagged step reaches them all.
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const override {
        if (f != DataFormat::ChannelsFirst || out.rank() != 3) return LayerKind::contamination(spec, f, in, out);
        StepMask result(in.batch, in.length);
        for (int64_t b = 0; b < in.batch; ++b) {
            bool any = false;
            for (int64_t t = 0; t < in.length; ++t) any = any || in.at(b, t);
            for (int64_t t = 0; t < in.length; ++t) result.at(b, t) = any;
        }
        return result;
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& layer_normalization_kind() {
    static const LayerNormalizationKind kind;
    return kind;
}

}  // namespace convscope
