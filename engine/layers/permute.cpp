// Permute (Keras) / x.permute(0, ...) (PyTorch): reorders the non-batch axes.
// dims are 1-based over the non-batch axes, as in Keras: Permute((2, 1)) swaps length and channels.
#include <algorithm>

#include "layers/catalogue_entries.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class PermuteKind final : public LayerKind {
public:
    PermuteKind()
        : schema_{{"dims", ParamKind::IntList, nullptr,
                   "New order of the non-batch axes, counted from 1 (Keras): [2, 1] swaps length and channels.",
                   {}, 1, 8, true}} {}
    std::string_view type() const override { return "Permute"; }
    std::string_view summary() const override {
        return "Reorders the non-batch axes, e.g. [2, 1] turns (batch, channels, length) into (batch, length, channels).";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        const auto dims = get_int_list(spec, schema_, "dims");
        std::vector<int64_t> sorted = dims;
        std::sort(sorted.begin(), sorted.end());
        bool valid = static_cast<int64_t>(dims.size()) == in.rank() - 1;
        for (size_t i = 0; valid && i < sorted.size(); ++i) valid = sorted[i] == static_cast<int64_t>(i) + 1;
        if (!valid) {
            LayerFailure f;
            f.kind = MistakeKind::InvalidParameters;
            f.expected = "a permutation of 1.." + std::to_string(in.rank() - 1);
            f.actual = nlohmann::json(dims).dump();
            f.explanation = "Permute \"" + std::string(ctx.name) + "\" needs dims that reorder all " +
                            std::to_string(in.rank() - 1) + " non-batch axes of " + in.shape.to_string() +
                            ", each once, counted from 1.";
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                                        "`dims` must be consecutive and start from 1. Received dims=" +
                                            nlohmann::json(dims).dump()
                                      : "permute(sparse_coo): number of dimensions in the tensor input does not match "
                                        "the length of the desired ordering of dimensions i.e. input.dim() = " +
                                            std::to_string(in.rank()) + " is not equal to len(dims) = " +
                                            std::to_string(dims.size() + 1);
            return ShapeOutcome::fail(f);
        }
        TensorType out = in;
        for (size_t i = 0; i < dims.size(); ++i) {
            out.shape[static_cast<int64_t>(i) + 1] = in.shape[dims[i]];
            if (in.roles.size() == static_cast<size_t>(in.rank())) out.roles[i + 1] = in.roles[static_cast<size_t>(dims[i])];
        }
        return ShapeOutcome::success(out);
    }
    std::string length_rule(const LayerSpec&, DataFormat) const override { return "moved"; }

    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const auto dims = get_int_list(spec, schema_, "dims");
        const Tensor& x = args.in;
        const int64_t rank = x.rank();
        std::vector<int64_t> axes{0};  // output axis i reads input axis axes[i]
        for (auto d : dims) axes.push_back(d);
        Shape out_shape = x.shape;
        for (int64_t i = 0; i < rank; ++i) out_shape[i] = x.shape[axes[static_cast<size_t>(i)]];
        std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
        for (int64_t i = rank - 2; i >= 0; --i) in_strides[static_cast<size_t>(i)] = in_strides[static_cast<size_t>(i + 1)] * x.shape[i + 1];
        Tensor y(out_shape);
        std::vector<int64_t> index(static_cast<size_t>(rank), 0);
        for (size_t flat = 0; flat < y.data.size(); ++flat) {
            int64_t src = 0;
            for (int64_t i = 0; i < rank; ++i) src += index[static_cast<size_t>(i)] * in_strides[static_cast<size_t>(axes[static_cast<size_t>(i)])];
            y.data[flat] = x.data[static_cast<size_t>(src)];
            for (int64_t i = rank - 1; i >= 0; --i) {  // odometer over the output index
                if (++index[static_cast<size_t>(i)] < out_shape[i]) break;
                index[static_cast<size_t>(i)] = 0;
            }
        }
        return y;
    }
    MaskRule mask_rule() const override { return MaskRule::Propagate; }
    // Unless the order is unchanged, an output "step" holds values from every input step
    // (after swapping length and channels it is one channel over the whole sequence).
    StepMask contamination(const LayerSpec& spec, DataFormat f, const StepMask& in, const TensorType& out) const override {
        const auto dims = get_int_list(spec, schema_, "dims");
        bool identity = true;
        for (size_t i = 0; i < dims.size(); ++i) identity = identity && dims[i] == static_cast<int64_t>(i) + 1;
        if (identity || out.rank() != 3) return LayerKind::contamination(spec, f, in, out);
        StepMask result(in.batch, out.shape[length_axis(f)]);
        for (int64_t b = 0; b < in.batch; ++b) {
            bool any = false;
            for (int64_t t = 0; t < in.length; ++t) any = any || in.at(b, t);
            for (int64_t t = 0; t < result.length; ++t) result.at(b, t) = any;
        }
        return result;
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& permute_kind() {
    static const PermuteKind kind;
    return kind;
}

}  // namespace convscope
