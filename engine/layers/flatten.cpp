// Flatten (Keras) / nn.Flatten() (PyTorch): (batch, a, b) -> (batch, a*b).
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

class FlattenKind final : public LayerKind {
public:
    std::string_view type() const override { return "Flatten"; }
    std::string_view summary() const override {
        return "Joins every non-batch axis into one feature axis, e.g. before a Dense layer.";
    }
    std::span<const ParamInfo> params() const override { return {}; }
    ShapeOutcome infer(const LayerSpec&, const TensorType& in, const LayerContext& ctx) const override {
        // features = product of every non-batch axis
        CheckedInt features = 1;
        std::string factors;
        for (int64_t i = 1; i < in.rank(); ++i)  // an open (None) axis leaves the feature count open
            if (in.shape[i] == kAnyDim) return ShapeOutcome::success(TensorType::flat(in.shape[0], kAnyDim));
        for (int64_t i = 1; i < in.rank(); ++i) {
            features *= in.shape[i];
            factors += (factors.empty() ? "" : " x ") + std::to_string(in.shape[i]);
        }
        if (auto f = layer_support::check_size(in, ctx, "Flatten", "the flattened features (" + factors + ")", features,
                                               limits::kMaxDimension, "features"))
            return ShapeOutcome::fail(*f);
        return ShapeOutcome::success(TensorType::flat(in.shape[0], features.value()));
    }
    StepMap step_map(const LayerSpec&, DataFormat) const override { return {1, 1, true}; }
    std::string length_rule(const LayerSpec&, DataFormat) const override { return "removed"; }
    // Keras flattens (length, channels), PyTorch (channels, length): both are the row-major order of the tensor.
    Tensor forward(const LayerSpec&, const ForwardArgs& args) const override {
        const int64_t batch = args.in.shape[0];
        return Tensor(Shape{batch, batch ? args.in.size() / batch : 0}, args.in.data);
    }
};

}  // namespace

const LayerKind& flatten_kind() {
    static const FlattenKind kind;
    return kind;
}

}  // namespace convscope
