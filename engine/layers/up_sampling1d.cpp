// UpSampling1D (Keras) / nn.Upsample(scale_factor=size, mode='nearest') (PyTorch): repeats each step.
// L_out = L * size
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/forward_support.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
using forward_support::remap_mask;
using forward_support::remap_steps;

namespace {

class UpSampling1DKind final : public LayerKind {
public:
    UpSampling1DKind() : schema_{{"size", ParamKind::Int, 2, "How many times each step is repeated.", {}, 1,
                                 static_cast<double>(limits::kMaxUpsampling)}} {}
    std::string_view type() const override { return "UpSampling1D"; }
    std::string_view summary() const override { return "Repeats every step `size` times, multiplying the length."; }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        if (auto f = require_sequence(in, ctx, "upsample")) return ShapeOutcome::fail(*f);
        TensorType out = in;
        const int64_t axis = length_axis(ctx.format);
        // L_out = L * size
        const bool open = in.shape[axis] == kAnyDim;  // an open (None) length stays open
        const CheckedInt length = open ? CheckedInt(kAnyDim) : CheckedInt(in.shape[axis]) * get_int(spec, schema_, "size");
        if (auto f = open ? std::nullopt
                     : check_size(in, ctx, "UpSampling1D", "the upsampled length", length, limits::kMaxDimension, "steps", axis))
            return ShapeOutcome::fail(*f);
        out.shape[axis] = length.value();
        out.roles = sequence_roles(ctx.format);
        return ShapeOutcome::success(out);
    }
    StepMap step_map(const LayerSpec& spec, DataFormat) const override {
        return {1, 1.0 / static_cast<double>(get_int(spec, schema_, "size")), false};
    }
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const int64_t size = get_int(spec, schema_, "size");
        return remap_steps(args.in, args.format, args.in.shape[length_axis(args.format)] * size,
                           [&](int64_t t) { return t / size; });
    }
    StepMask contamination(const LayerSpec& spec, DataFormat, const StepMask& in, const TensorType&) const override {
        const int64_t size = get_int(spec, schema_, "size");
        return remap_mask(in, in.length * size, [&](int64_t t) { return t / size; });
    }
    std::string length_rule(const LayerSpec& spec, DataFormat) const override {
        return "L*" + std::to_string(get_int(spec, schema_, "size"));
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& up_sampling1d_kind() {
    static const UpSampling1DKind kind;
    return kind;
}

}  // namespace convscope
