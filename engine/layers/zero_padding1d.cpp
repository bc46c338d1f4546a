// ZeroPadding1D (Keras) / F.pad(x, (left, right)) (PyTorch): adds zero steps at both ends.
// L_out = L + left + right
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/forward_support.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
using forward_support::remap_mask;
using forward_support::remap_steps;

namespace {

class ZeroPadding1DKind final : public LayerKind {
public:
    ZeroPadding1DKind()
        : schema_{{"padding", ParamKind::Pair, 1, "Zero steps added at the start and end: an integer (both) or [left, right].", {}, 0,
                   static_cast<double>(limits::kMaxPadding)}} {}
    std::string_view type() const override { return "ZeroPadding1D"; }
    std::string_view summary() const override { return "Adds zero steps at the start and end of the sequence."; }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        if (auto f = require_sequence(in, ctx, "pad")) return ShapeOutcome::fail(*f);
        const auto p = parse_padding(value(spec, schema_, "padding"));
        TensorType out = in;
        const int64_t axis = length_axis(ctx.format);
        // L_out = L + left + right
        const bool open = in.shape[axis] == kAnyDim;  // an open (None) length stays open
        const CheckedInt length = open ? CheckedInt(kAnyDim) : CheckedInt(in.shape[axis]) + p.left + p.right;
        if (auto f = open ? std::nullopt
                     : check_size(in, ctx, "ZeroPadding1D", "the padded length", length, limits::kMaxDimension, "steps", axis))
            return ShapeOutcome::fail(*f);
        out.shape[axis] = length.value();
        out.roles = sequence_roles(ctx.format);
        return ShapeOutcome::success(out);
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const auto p = parse_padding(value(spec, schema_, "padding"));
        return remap_steps(args.in, args.format, args.in.shape[length_axis(args.format)] + p.left + p.right,
                           [&](int64_t t) { return t - p.left; });
    }
    StepMask contamination(const LayerSpec& spec, DataFormat, const StepMask& in, const TensorType&) const override {
        const auto p = parse_padding(value(spec, schema_, "padding"));
        return remap_mask(in, in.length + p.left + p.right, [&](int64_t t) { return t - p.left; });
    }
    std::string length_rule(const LayerSpec& spec, DataFormat) const override {
        const auto p = parse_padding(value(spec, schema_, "padding"));
        return "L + " + std::to_string(p.left + p.right);
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& zero_padding1d_kind() {
    static const ZeroPadding1DKind kind;
    return kind;
}

}  // namespace convscope
