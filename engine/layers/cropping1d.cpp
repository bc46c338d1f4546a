// Cropping1D (Keras) / x[..., left:L-right] (PyTorch): removes steps at both ends.
// L_out = L - left - right, which must stay >= 1
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/forward_support.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
using forward_support::remap_mask;
using forward_support::remap_steps;

namespace {

class Cropping1DKind final : public LayerKind {
public:
    Cropping1DKind()
        : schema_{{"cropping", ParamKind::Pair, 1, "Steps removed at the start and end: an integer (both) or [left, right].", {}, 0,
                   static_cast<double>(limits::kMaxDimension)}} {}
    std::string_view type() const override { return "Cropping1D"; }
    std::string_view summary() const override { return "Removes steps at the start and end of the sequence."; }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        if (auto f = require_sequence(in, ctx, "narrow")) return ShapeOutcome::fail(*f);
        const auto p = parse_padding(value(spec, schema_, "cropping"));
        const int64_t axis = length_axis(ctx.format);
        const int64_t length = in.shape[axis];
        if (length - p.left - p.right < 1) {
            LayerFailure f;
            f.kind = MistakeKind::SequenceTooShort;
            f.axis = axis;
            f.role = AxisRole::Length;
            f.expected = "more than " + std::to_string(p.left + p.right) + " steps";
            f.actual = std::to_string(length) + " steps";
            f.explanation = "Cropping1D \"" + std::string(ctx.name) + "\" removes " + std::to_string(p.left) + " + " +
                            std::to_string(p.right) + " steps from a sequence of " + std::to_string(length) +
                            ", leaving nothing.";
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? "Received an input of length " + std::to_string(length) +
                                            " that is too short for the cropping (" + std::to_string(p.left) + ", " +
                                            std::to_string(p.right) + ")"
                                      : "start (" + std::to_string(p.left) + ") + length (" +
                                            std::to_string(length - p.left - p.right) + ") exceeds dimension size (" +
                                            std::to_string(length) + ").";
            return ShapeOutcome::fail(f);
        }
        TensorType out = in;
        out.shape[axis] = length - p.left - p.right;
        out.roles = sequence_roles(ctx.format);
        return ShapeOutcome::success(out);
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const auto p = parse_padding(value(spec, schema_, "cropping"));
        return remap_steps(args.in, args.format, args.in.shape[length_axis(args.format)] - p.left - p.right,
                           [&](int64_t t) { return t + p.left; });
    }
    StepMask contamination(const LayerSpec& spec, DataFormat, const StepMask& in, const TensorType&) const override {
        const auto p = parse_padding(value(spec, schema_, "cropping"));
        return remap_mask(in, in.length - p.left - p.right, [&](int64_t t) { return t + p.left; });
    }
    std::string length_rule(const LayerSpec& spec, DataFormat) const override {
        const auto p = parse_padding(value(spec, schema_, "cropping"));
        return "L - " + std::to_string(p.left + p.right);
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& cropping1d_kind() {
    static const Cropping1DKind kind;
    return kind;
}

}  // namespace convscope
