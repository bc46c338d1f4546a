// Dense (Keras) / nn.Linear (PyTorch): a learned matrix applied to the LAST axis.
// (batch, F) -> (batch, units); on a 3-axis tensor it acts per position of the middle axis.
// params = F * units + units (bias)
#include <cblas.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/forward_support.hpp"
#include "layers/framework_messages.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
namespace fm = framework_messages;

namespace {

class DenseKind final : public LayerKind {
public:
    DenseKind()
        : schema_{{"units", ParamKind::Int, nullptr, "Output features (PyTorch: out_features).", {}, 1,
                   static_cast<double>(limits::kMaxUnits), true},
                  common_params::use_bias(), common_params::activation(),
                  {"in_features", ParamKind::OptionalInt, nullptr,
                   "Input features the weights were built for (PyTorch's in_features, or a built Keras kernel). "
                   "Leave empty to infer it from the input.",
                   {}, 1, static_cast<double>(limits::kMaxDimension)}} {}
    std::string_view type() const override { return "Dense"; }
    std::string_view summary() const override {
        return "Fully connected layer on the last axis (PyTorch nn.Linear); flatten or pool the length axis first.";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        const int64_t units = get_int(spec, schema_, "units");
        const auto declared = get_optional_int(spec, schema_, "in_features");
        const bool bias = get_bool(spec, schema_, "use_bias");
        const int64_t last = in.rank() - 1;
        const int64_t features = in.shape[last];
        const AxisRole last_role = static_cast<size_t>(last) < in.roles.size() ? in.roles[static_cast<size_t>(last)]
                                                                               : AxisRole::Features;
        const bool has_length = in.has(AxisRole::Length) && in.rank() >= 3;
        // Only compared with the declared in_features: a product past 64 bits equals no declared value.
        CheckedInt flattened_checked = 1;
        for (int64_t i = 1; i < in.rank(); ++i) flattened_checked *= in.shape[i];
        const int64_t flattened = flattened_checked.ok() ? flattened_checked.value() : -1;

        if (declared && *declared != features) {
            LayerFailure f;
            f.axis = last;
            f.role = last_role;
            f.expected = std::to_string(*declared) + " features";
            f.actual = std::to_string(features) + " on axis " + std::to_string(last);
            const bool wrong_axis = has_length && (last_role == AxisRole::Length || *declared == flattened);
            f.kind = wrong_axis ? MistakeKind::DenseWrongAxis : MistakeKind::FeatureMismatch;
            if (wrong_axis) {
                f.explanation = "Dense \"" + std::string(ctx.name) + "\" was built for " + std::to_string(*declared) +
                                " features" +
                                (*declared == flattened ? ", the size of the flattened " + in.shape.to_string() : "") +
                                ", but its input " + in.shape.to_string() +
                                " still has a length axis. Dense/Linear only reads the last axis (" +
                                std::string(to_string(last_role)) + " here, " + std::to_string(features) +
                                " entries). Insert Flatten or global pooling before it.";
            } else {
                f.explanation = "Dense \"" + std::string(ctx.name) + "\" was built for " + std::to_string(*declared) +
                                " input features (in_features), but its input " + in.shape.to_string() + " has " +
                                std::to_string(features) + " on its last axis.";
            }
            const CheckedInt elements = in.shape.checked_element_count();
            const int64_t rows = elements.ok() ? elements.value() / std::max<int64_t>(features, 1) : 0;
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? fm::keras_axis_value(ctx.name, -1, *declared, in.shape)
                                      : fm::torch_linear(rows, features, *declared, units);
            return ShapeOutcome::fail(f);
        }

        TensorType out = in;
        out.shape[last] = units;
        if (static_cast<size_t>(last) < out.roles.size())
            out.roles[static_cast<size_t>(last)] = last_role == AxisRole::Channels ? AxisRole::Channels : AxisRole::Features;
        // An open (None) last axis has no parameter count yet.
        const CheckedInt params = features == kAnyDim ? CheckedInt(0) : CheckedInt(features) * units + (bias ? units : 0);
        if (auto f = check_size(in, ctx, "Dense",
                                "the parameter count (" + std::to_string(features) + " x " + std::to_string(units) +
                                    (bias ? " + " + std::to_string(units) : std::string()) + ")",
                                params, limits::kMaxElements, "parameters"))
            return ShapeOutcome::fail(*f);
        auto outcome = ShapeOutcome::success(out, params.value());
        if (has_length) {
            LayerWarning w;
            w.kind = MistakeKind::DenseWrongAxis;
            w.axis = last;
            w.message = last_role == AxisRole::Length
                            ? "Dense \"" + std::string(ctx.name) + "\" is applied to the last axis, which is the length "
                              "axis here: it mixes time steps per channel, and its weights fix the sequence length. "
                              "Insert Flatten or global pooling before it if it is meant as a classifier head."
                            : "Dense \"" + std::string(ctx.name) + "\" still sees a length axis: it is applied to every "
                              "step separately and the output keeps the length. Insert Flatten or global pooling "
                              "before it if it is meant as a classifier head.";
            outcome.warnings.push_back(std::move(w));
        }
        return outcome;
    }
    std::vector<WeightSpec> weights(const LayerSpec& spec, const TensorType& in, DataFormat) const override {
        const int64_t features = in.shape[in.rank() - 1], units = get_int(spec, schema_, "units");
        WeightSpec w;
        w.torch_name = "weight";
        w.torch_shape = Shape{units, features};
        w.keras_name = "kernel";
        w.keras_shape = Shape{features, units};
        w.fan_in = features;
        w.fan_out = units;
        w.from_keras = WeightSpec::FromKeras::Transpose2D;
        std::vector<WeightSpec> specs{w};
        if (get_bool(spec, schema_, "use_bias")) {
            WeightSpec b;
            b.torch_name = b.keras_name = "bias";
            b.torch_shape = b.keras_shape = Shape{units};
            b.init = WeightSpec::Init::Bias;
            b.fan_in = features;
            specs.push_back(b);
        }
        return specs;
    }

    // y[M, units] = x[M, F] * W^T + b, W in PyTorch's [units, F] layout.
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const Tensor& x = args.in;
        const int64_t features = x.shape[x.rank() - 1], units = get_int(spec, schema_, "units");
        const int64_t rows = features ? x.size() / features : 0;
        Shape out_shape = x.shape;
        out_shape[out_shape.rank() - 1] = units;
        Tensor y(out_shape);
        const auto weight = forward_support::values_of(args.weights, "weight", static_cast<size_t>(units * features));
        if (get_bool(spec, schema_, "use_bias")) {
            const auto bias = forward_support::values_of(args.weights, "bias", static_cast<size_t>(units));
            for (int64_t r = 0; r < rows; ++r) std::copy(bias.begin(), bias.end(), y.data.begin() + r * units);
        }
        // BLAS takes int sizes: rows go in blocks below INT_MAX; units are within limits::kMaxUnits.
        if (features > std::numeric_limits<int>::max())
            throw std::length_error("Dense: " + std::to_string(features) + " input features exceed the BLAS int range");
        constexpr int64_t kMaxBlasRows = std::numeric_limits<int>::max();
        for (int64_t r0 = 0; units > 0 && features > 0 && r0 < rows; r0 += kMaxBlasRows) {
            const int64_t n = std::min(kMaxBlasRows, rows - r0);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(units),
                        static_cast<int>(features), 1.0f, x.data.data() + r0 * features, static_cast<int>(features),
                        weight.data(), static_cast<int>(features), get_bool(spec, schema_, "use_bias") ? 1.0f : 0.0f,
                        y.data.data() + r0 * units, static_cast<int>(units));
        }
        forward_support::apply_activation(get_string(spec, schema_, "activation"), y);
        return y;
    }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }
    // On (batch, channels, length) the last axis is the length: every output step mixes
    // every input step, so one flagged step reaches them all (even when units == length).
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const override {
        if (f != DataFormat::ChannelsFirst || out.rank() != 3) return LayerKind::contamination(spec, f, in, out);
        const StepMask any = forward_support::collapse(in);
        StepMask result(in.batch, out.shape[length_axis(f)]);
        for (int64_t b = 0; b < in.batch; ++b)
            for (int64_t t = 0; t < result.length; ++t) result.at(b, t) = any.at(b, 0);
        return result;
    }

    StepMap step_map(const LayerSpec&, DataFormat f) const override {
        // Over the length axis (channels_first) a Linear sees every step.
        return {1, 1, f == DataFormat::ChannelsFirst};
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& dense_kind() {
    static const DenseKind kind;
    return kind;
}

}  // namespace convscope
