#include "layers/global_pooling.hpp"

#include <cmath>
#include <limits>

#include "layers/common_params.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;

GlobalPoolingKind::GlobalPoolingKind() : schema_{common_params::keepdims()} {}

ShapeOutcome GlobalPoolingKind::infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const {
    if (auto f = require_sequence(in, ctx, "global pooling")) return ShapeOutcome::fail(*f);
    const int64_t channels = in.shape[channels_axis(ctx.format)];
    if (get_bool(spec, schema_, "keepdims"))
        return ShapeOutcome::success(TensorType::sequence(ctx.format, in.shape[0], 1, channels));
    return ShapeOutcome::success({Shape{in.shape[0], channels}, {AxisRole::Batch, AxisRole::Channels}});
}

std::string GlobalPoolingKind::length_rule(const LayerSpec& spec, DataFormat) const {
    return get_bool(spec, schema_, "keepdims") ? "1" : "removed";
}

Tensor GlobalPoolingKind::forward(const LayerSpec& spec, const ForwardArgs& args) const {
    const Tensor& x = args.in;
    const int64_t batch = x.shape[0], length = x.shape[length_axis(args.format)];
    const int64_t channels = x.shape[channels_axis(args.format)];
    Tensor y(get_bool(spec, schema_, "keepdims") ? TensorType::sequence(args.format, batch, 1, channels).shape
                                                 : Shape{batch, channels});
    const int64_t step_stride = args.format == DataFormat::ChannelsLast ? channels : 1;
    const int64_t chan_stride = args.format == DataFormat::ChannelsLast ? 1 : length;
    const bool max = is_max();
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t c = 0; c < channels; ++c) {
            const float* xb = x.data.data() + b * length * channels + c * chan_stride;
            double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
            int64_t count = 0;
            for (int64_t t = 0; t < length; ++t) {
                if (args.mask && !args.mask->at(b, t)) continue;
                const double v = xb[t * step_stride];
                ++count;
                if (!max) acc += v;
                else if (std::isnan(v) || v > acc) acc = v;  // NaN propagates, as torch.amax does
                if (max && std::isnan(acc)) break;
            }
            y.data[static_cast<size_t>(b * channels + c)] =
                static_cast<float>(max ? acc : count ? acc / static_cast<double>(count) : 0.0);
        }
    return y;
}

}  // namespace convscope
