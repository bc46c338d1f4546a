// Activation: Applies an element-wise function; shapes are unchanged.
// Shape rule: output shape = input shape.
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/forward_support.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

class ActivationKind final : public LayerKind {
public:
    ActivationKind() : schema_{common_params::activation()} {}
    std::string_view type() const override { return "Activation"; }
    std::string_view summary() const override { return "Applies an element-wise function; shapes are unchanged."; }
    std::span<const ParamInfo> params() const override { return schema_; }
    ShapeOutcome infer(const LayerSpec&, const TensorType& in, const LayerContext&) const override {
        return layer_support::pass_through(in);
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        Tensor out = args.in;
        forward_support::apply_activation(layer_support::get_string(spec, schema_, "activation"), out);
        return out;
    }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& activation_kind() {
    static const ActivationKind kind;
    return kind;
}

}  // namespace convscope
