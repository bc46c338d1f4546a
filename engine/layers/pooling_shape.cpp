#include "layers/pooling_shape.hpp"

#include <limits>

#include "layers/forward_support.hpp"
#include "layers/framework_messages.hpp"

namespace convscope {

using namespace layer_support;

int64_t pool_output_length(const PoolShapeParams& p, int64_t length) {
    const int64_t extent = dilated_extent(p.pool, p.dilation);
    // ceil_mode is PyTorch's: with 'valid' it is padding 0 with the last partial window kept.
    if (p.padding.mode == PaddingSpec::Mode::Same || (p.padding.mode == PaddingSpec::Mode::Valid && !p.ceil_mode)) {
        const PadAmount pad = resolve_padding(p.padding, length, extent, p.stride);
        return window_output_length(length, pad, extent, p.stride);
    }
    // PyTorch's pooling_output_shape: floor division (towards -inf), so with ceil_mode a window
    // that starts on a real step counts even when the input is shorter than the window.
    const int64_t span = length + p.padding.left + p.padding.right - extent + (p.ceil_mode ? p.stride - 1 : 0);
    const int64_t floor_div = span >= 0 ? span / p.stride : -((-span + p.stride - 1) / p.stride);
    int64_t out = floor_div + 1;
    if (p.ceil_mode && (out - 1) * p.stride >= length + p.padding.left) --out;
    return out;
}

ShapeOutcome infer_pool_shape(const PoolShapeParams& p, const TensorType& in, const LayerContext& ctx) {
    if (auto f = require_sequence(in, ctx, p.type == "MaxPooling1D" ? "max_pool1d" : "avg_pool1d"))
        return ShapeOutcome::fail(*f);
    const int64_t extent = dilated_extent(p.pool, p.dilation);
    // PyTorch compares the padding with half the window before dilation (pool_size / 2), whatever
    // its message says about the "effective" kernel size.
    if (p.padding.mode == PaddingSpec::Mode::Explicit && std::max(p.padding.left, p.padding.right) > p.pool / 2) {
        const int64_t pad = std::max(p.padding.left, p.padding.right);
        LayerFailure f;
        f.kind = MistakeKind::InvalidParameters;
        f.expected = "padding of at most " + std::to_string(p.pool / 2) + (p.pool / 2 == 1 ? " step" : " steps") +
                     " (half the pool_size of " + std::to_string(p.pool) + ")";
        f.actual = "padding of " + std::to_string(pad) + (pad == 1 ? " step" : " steps");
        f.explanation = std::string(p.type) + " \"" + std::string(ctx.name) + "\" pads " +
                        std::to_string(std::max(p.padding.left, p.padding.right)) +
                        " steps, more than half its pool_size of " + std::to_string(p.pool) +
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
    if (p.ceil_mode && p.padding.mode != PaddingSpec::Mode::Same && p.stride > 1) {
        const int64_t added = p.padding.left + p.padding.right - extent;
        return "ceil((L" + (added == 0 ? std::string() : (added > 0 ? " + " : " - ") + std::to_string(std::abs(added))) +
               ") / " + std::to_string(p.stride) + ") + 1";
    }
    return window_length_rule(p.padding, extent, p.stride);
}

namespace {

PadAmount pool_padding(const PoolShapeParams& p, int64_t length) {
    if (p.padding.mode == PaddingSpec::Mode::Explicit) return {p.padding.left, p.padding.right};
    return resolve_padding(p.padding, length, dilated_extent(p.pool, p.dilation), p.stride);
}

}  // namespace

Tensor run_pool(const PoolShapeParams& p, bool is_max, bool count_include_pad, const ForwardArgs& args) {
    const Tensor& x = args.in;
    const int64_t l_axis = length_axis(args.format), c_axis = channels_axis(args.format);
    const int64_t batch = x.shape[0], length = x.shape[l_axis], channels = x.shape[c_axis];
    const int64_t out_length = pool_output_length(p, length);
    const PadAmount pad = pool_padding(p, length);
    const bool include_pad = count_include_pad && p.padding.mode == PaddingSpec::Mode::Explicit;
    Tensor y(TensorType::sequence(args.format, batch, out_length, channels).shape);
    // Strides of a step and of a channel in either layout.
    const int64_t step_stride = args.format == DataFormat::ChannelsLast ? channels : 1;
    const int64_t chan_stride = args.format == DataFormat::ChannelsLast ? 1 : length;
    const int64_t out_step_stride = args.format == DataFormat::ChannelsLast ? channels : 1;
    const int64_t out_chan_stride = args.format == DataFormat::ChannelsLast ? 1 : out_length;
    for (int64_t b = 0; b < batch; ++b) {
        const float* xb = x.data.data() + b * length * channels;
        float* yb = y.data.data() + b * out_length * channels;
        for (int64_t t = 0; t < out_length; ++t) {
            const int64_t start = t * p.stride - pad.left;
            // PyTorch's divisor: the window clipped to input + padding, or to the input alone.
            const int64_t padded_end = std::min(start + p.pool, length + pad.right);
            for (int64_t c = 0; c < channels; ++c) {
                float acc = is_max ? -std::numeric_limits<float>::infinity() : 0.0f;
                int64_t count = 0;
                for (int64_t j = 0; j < p.pool; ++j) {
                    const int64_t i = start + j * (is_max ? p.dilation : 1);
                    if (i < 0 || i >= length) continue;
                    const float v = xb[i * step_stride + c * chan_stride];
                    acc = is_max ? (v > acc || std::isnan(v) ? v : acc) : acc + v;
                    ++count;
                }
                if (!is_max) {
                    const int64_t divisor = include_pad ? padded_end - start : count;
                    acc = divisor > 0 ? acc / static_cast<float>(divisor) : 0.0f;
                }
                yb[t * out_step_stride + c * out_chan_stride] = acc;
            }
        }
    }
    return y;
}

StepMask pool_contamination(const PoolShapeParams& p, DataFormat f, const StepMask& in, const TensorType& out) {
    const PadAmount pad = pool_padding(p, in.length);
    return forward_support::window_contamination(in, out.shape[length_axis(f)], p.stride, pad.left, p.dilation, p.pool);
}

}  // namespace convscope
