// Masking: Marks steps whose every channel equals mask_value as padding; later layers that support masks skip them.
// Shape rule: output shape = input shape.
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

class MaskingKind final : public LayerKind {
public:
    MaskingKind() : schema_{{"mask_value", ParamKind::Float, 0.0, "Steps where every channel equals this value are masked.", {}, -1e30, 1e30}} {}
    std::string_view type() const override { return "Masking"; }
    std::string_view summary() const override { return "Marks steps whose every channel equals mask_value as padding; later layers that support masks skip them."; }
    std::span<const ParamInfo> params() const override { return schema_; }
    ShapeOutcome infer(const LayerSpec&, const TensorType& in, const LayerContext&) const override {
        return layer_support::pass_through(in);
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& masking_kind() {
    static const MaskingKind kind;
    return kind;
}

}  // namespace convscope
