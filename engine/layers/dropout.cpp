// Dropout: Zeroes a random fraction of values while training; shapes are unchanged.
// Shape rule: output shape = input shape.
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

class DropoutKind final : public LayerKind {
public:
    DropoutKind() : schema_{{"rate", ParamKind::Float, 0.5, "Fraction of values dropped while training (0 to 1).", {}, 0, 0.999999}} {}
    std::string_view type() const override { return "Dropout"; }
    std::string_view summary() const override { return "Zeroes a random fraction of values while training; shapes are unchanged."; }
    std::span<const ParamInfo> params() const override { return schema_; }
    ShapeOutcome infer(const LayerSpec&, const TensorType& in, const LayerContext&) const override {
        return layer_support::pass_through(in);
    }
    // Inference: dropout is the identity.
    Tensor forward(const LayerSpec&, const ForwardArgs& args) const override { return args.in; }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& dropout_kind() {
    static const DropoutKind kind;
    return kind;
}

}  // namespace convscope
