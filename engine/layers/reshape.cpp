// Reshape (Keras) / x.reshape(batch, ...) (PyTorch): same elements, new non-batch shape.
// One entry of target_shape may be -1: it becomes (elements / product of the others), which must be an integer.
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/framework_messages.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;
namespace fm = framework_messages;

namespace {

class ReshapeKind final : public LayerKind {
public:
    ReshapeKind()
        : schema_{{"target_shape", ParamKind::IntList, nullptr,
                   "New shape without the batch axis; one entry may be -1 to take what is left.", {}, -1,
                   static_cast<double>(limits::kMaxDimension), true}} {}
    std::string_view type() const override { return "Reshape"; }
    std::string_view summary() const override { return "Rearranges the same values into a new shape (batch kept)."; }
    std::span<const ParamInfo> params() const override { return schema_; }

    Status validate(const LayerSpec& spec) const override {
        int unknown = 0;
        for (auto d : get_int_list(spec, schema_, "target_shape")) {
            if (d == -1) ++unknown;
            else if (d < 1) return make_error("field \"target_shape\": entries must be positive or -1, got " + std::to_string(d));
        }
        if (unknown > 1) return make_error("field \"target_shape\": at most one entry may be -1");
        return Ok{};
    }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        const auto target = get_int_list(spec, schema_, "target_shape");
        CheckedInt elements_checked = 1, known_checked = 1;
        for (int64_t i = 1; i < in.rank(); ++i) elements_checked *= in.shape[i];
        int64_t unknown_at = -1;
        for (size_t i = 0; i < target.size(); ++i) {
            if (target[i] == -1) unknown_at = static_cast<int64_t>(i);
            else known_checked *= target[i];
        }
        if (auto f = check_size(in, ctx, "Reshape", "the values per example of its input", elements_checked,
                                limits::kMaxElements, "elements"))
            return ShapeOutcome::fail(*f);
        if (auto f = check_size(in, ctx, "Reshape", "the values per example of target_shape " + nlohmann::json(target).dump(),
                                known_checked, limits::kMaxElements, "elements"))
            return ShapeOutcome::fail(*f);
        const int64_t elements = elements_checked.value(), known = known_checked.value();
        std::vector<int64_t> out_dims = target;
        const bool fits = unknown_at >= 0 ? elements % known == 0 : known == elements;
        if (!fits) {
            LayerFailure f;
            f.kind = MistakeKind::NonIntegerReshape;
            f.expected = unknown_at >= 0 ? "a multiple of " + std::to_string(known) + " elements"
                                         : std::to_string(known) + " elements";
            f.actual = std::to_string(elements) + " elements";
            const std::string target_text = nlohmann::json(target).dump();
            f.explanation = "Reshape \"" + std::string(ctx.name) + "\" asks for " + target_text + " per example, but " +
                            in.shape.to_string() + " holds " + std::to_string(elements) + " values per example" +
                            (unknown_at >= 0 ? ", which is not a whole multiple of " + std::to_string(known)
                                             : std::string(", not ") + std::to_string(known)) +
                            ". Usually a length changed upstream (a convolution without 'same' padding, or pooling).";
            Shape in_rest;
            for (int64_t i = 1; i < in.rank(); ++i) in_rest.dims.push_back(in.shape[i]);
            std::string torch_target = "[" + std::to_string(in.shape[0]);
            for (auto d : target) torch_target += ", " + std::to_string(d);
            torch_target += "]";
            f.framework_message = ctx.format == DataFormat::ChannelsLast
                                      ? fm::keras_reshape(in_rest, target_text)
                                      : fm::torch_reshape(torch_target, in.shape.checked_element_count().value());
            return ShapeOutcome::fail(f);
        }
        if (unknown_at >= 0) out_dims[static_cast<size_t>(unknown_at)] = elements / known;
        TensorType out;
        out.shape.dims.push_back(in.shape[0]);
        for (auto d : out_dims) out.shape.dims.push_back(d);
        if (out.rank() == 3) out.roles = sequence_roles(ctx.format);
        else {
            out.roles.assign(static_cast<size_t>(out.rank()), AxisRole::Features);
            out.roles[0] = AxisRole::Batch;
        }
        return ShapeOutcome::success(out);
    }
    StepMap step_map(const LayerSpec&, DataFormat) const override { return {1, 1, true}; }
    std::string length_rule(const LayerSpec&, DataFormat) const override { return "reshaped"; }

    // Row-major values are unchanged; only the shape is new.
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const TensorType in{args.in.shape, {}};
        auto outcome = infer(spec, in, LayerContext{args.format, "", 0});
        return Tensor(outcome.out->shape, args.in.data);
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& reshape_kind() {
    static const ReshapeKind kind;
    return kind;
}

}  // namespace convscope
