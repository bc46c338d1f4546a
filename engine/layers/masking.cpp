// Masking: Marks steps whose every channel equals mask_value as padding; later layers that support masks skip them.
// Shape rule: output shape = input shape.
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/layer_support.hpp"
#include "layers/masking_rule.hpp"

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
    // Keras zeroes the masked steps: output = input * (any channel != mask_value).
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const float mask_value = static_cast<float>(layer_support::get_float(spec, schema_, "mask_value"));
        const StepMask mask = step_mask(args.in, args.format, mask_value);
        Tensor out = args.in;
        if (out.rank() != 3) return out;
        const int64_t l_axis = layer_support::length_axis(args.format);
        for (int64_t b = 0; b < out.shape[0]; ++b)
            for (int64_t i = 0; i < out.shape[1]; ++i)
                for (int64_t j = 0; j < out.shape[2]; ++j)
                    if (!mask.at(b, l_axis == 1 ? i : j)) out.at(b, i, j) = 0.0f;
        return out;
    }
    MaskRule mask_rule() const override { return MaskRule::Produce; }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

StepMask step_mask(const Tensor& in, DataFormat format, float mask_value) {
    if (in.rank() != 3) return StepMask(in.shape.rank() ? in.shape[0] : 0, 1, 1);
    const int64_t l_axis = layer_support::length_axis(format);
    StepMask mask(in.shape[0], in.shape[l_axis]);
    for (int64_t b = 0; b < in.shape[0]; ++b)
        for (int64_t i = 0; i < in.shape[1]; ++i)
            for (int64_t j = 0; j < in.shape[2]; ++j)
                if (in.at(b, i, j) != mask_value) mask.at(b, l_axis == 1 ? i : j) = 1;
    return mask;
}

const LayerKind& masking_kind() {
    static const MaskingKind kind;
    return kind;
}

}  // namespace convscope
