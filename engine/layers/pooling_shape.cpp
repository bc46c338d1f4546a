#include "layers/pooling_shape.hpp"

#include "layers/framework_messages.hpp"

namespace convscope {

using namespace layer_support;

int64_t pool_output_length(const PoolShapeParams& p, int64_t length) {
    const int64_t extent = dilated_extent(p.pool, p.dilation);
    if (p.padding.mode != PaddingSpec::Mode::Explicit) {
        const PadAmount pad = resolve_padding(p.padding, length, extent, p.stride);
        return window_output_length(length, pad, extent, p.stride);
    }
    const int64_t span = length + p.padding.left + p.padding.right - extent;
    if (span < 0) return -((-span + p.stride - 1) / p.stride) + 1;
    int64_t out = (p.ceil_mode ? (span + p.stride - 1) / p.stride : span / p.stride) + 1;
    if (p.ceil_mode && (out - 1) * p.stride >= length + p.padding.left) --out;
    return out;
}

ShapeOutcome infer_pool_shape(const PoolShapeParams& p, const TensorType& in, const LayerContext& ctx) {
    if (auto f = require_sequence(in, ctx, p.type == "MaxPooling1D" ? "max_pool1d" : "avg_pool1d"))
        return ShapeOutcome::fail(*f);
    const int64_t extent = dilated_extent(p.pool, p.dilation);
    if (p.padding.mode == PaddingSpec::Mode::Explicit && std::max(p.padding.left, p.padding.right) > extent / 2) {
        LayerFailure f;
        f.kind = MistakeKind::InvalidParameters;
        f.explanation = std::string(p.type) + " \"" + std::string(ctx.name) + "\" pads " +
                        std::to_string(std::max(p.padding.left, p.padding.right)) +
                        " steps, more than half its window of " + std::to_string(extent) +
                        ": some windows would see only padding. PyTorch rejects this.";
        f.framework_message = "pad should be at most half of effective kernel size, but got pad=" +
                              std::to_string(std::max(p.padding.left, p.padding.right)) + ", kernel_size=" +
                              std::to_string(p.pool) + " and dilation=" + std::to_string(p.dilation);
        return ShapeOutcome::fail(f);
    }
    const int64_t l_axis = length_axis(ctx.format), c_axis = channels_axis(ctx.format);
    const int64_t length = in.shape[l_axis];
    const int64_t out = pool_output_length(p, length);
    if (out < 1) {
        const PadAmount pad = p.padding.mode == PaddingSpec::Mode::Explicit
                                  ? PadAmount{p.padding.left, p.padding.right}
                                  : resolve_padding(p.padding, length, extent, p.stride);
        return ShapeOutcome::fail(too_short(in, ctx, p.type, length + pad.left + pad.right, extent, p.stride, out, true));
    }
    return ShapeOutcome::success(TensorType::sequence(ctx.format, in.shape[0], out, in.shape[c_axis]));
}

std::string pool_length_rule(const PoolShapeParams& p) {
    const int64_t extent = dilated_extent(p.pool, p.dilation);
    if (p.ceil_mode && p.padding.mode == PaddingSpec::Mode::Explicit && p.stride > 1) {
        const int64_t added = p.padding.left + p.padding.right - extent;
        return "ceil((L" + (added == 0 ? std::string() : (added > 0 ? " + " : " - ") + std::to_string(std::abs(added))) +
               ") / " + std::to_string(p.stride) + ") + 1";
    }
    return window_length_rule(p.padding, extent, p.stride);
}

}  // namespace convscope
