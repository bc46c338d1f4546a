// GlobalMaxPooling1D (Keras) / x.amax(dim=-1) in PyTorch:
// collapses the length axis. (B, L, C) or (B, C, L) -> (B, C), or (B, 1, C) / (B, C, 1) with keepdims.
#include <cmath>
#include <limits>

#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class GlobalMaxPooling1DKind final : public LayerKind {
public:
    GlobalMaxPooling1DKind() : schema_{common_params::keepdims()} {}
    std::string_view type() const override { return "GlobalMaxPooling1D"; }
    std::string_view summary() const override {
        return "Reduces every channel over the whole length to one value, removing the length axis.";
    }
    std::span<const ParamInfo> params() const override { return schema_; }

    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const override {
        if (auto f = require_sequence(in, ctx, "global pooling")) return ShapeOutcome::fail(*f);
        const int64_t channels = in.shape[channels_axis(ctx.format)];
        if (get_bool(spec, schema_, "keepdims"))
            return ShapeOutcome::success(TensorType::sequence(ctx.format, in.shape[0], 1, channels));
        return ShapeOutcome::success({Shape{in.shape[0], channels}, {AxisRole::Batch, AxisRole::Channels}});
    }
    StepMap step_map(const LayerSpec&, DataFormat) const override { return {1, 1, true}; }

    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const override {
        const Tensor& x = args.in;
        const int64_t l_axis = length_axis(args.format), c_axis = channels_axis(args.format);
        const int64_t batch = x.shape[0], length = x.shape[l_axis], channels = x.shape[c_axis];
        Tensor y(get_bool(spec, schema_, "keepdims") ? TensorType::sequence(args.format, batch, 1, channels).shape
                                                     : Shape{batch, channels});
        const int64_t step_stride = args.format == DataFormat::ChannelsLast ? channels : 1;
        const int64_t chan_stride = args.format == DataFormat::ChannelsLast ? 1 : length;
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t c = 0; c < channels; ++c) {
                const float* xb = x.data.data() + b * length * channels + c * chan_stride;
                float best = -std::numeric_limits<float>::infinity();
                for (int64_t t = 0; t < length; ++t) {
                    const float v = xb[t * step_stride];
                    if (v > best || std::isnan(v)) best = v;
                    if (std::isnan(best)) break;
                }
                y.data[static_cast<size_t>(b * channels + c)] = best;
            }
        return y;
    }
    MaskRule mask_rule() const override { return MaskRule::Drop; }
    std::string length_rule(const LayerSpec& spec, DataFormat) const override {
        return get_bool(spec, schema_, "keepdims") ? "1" : "removed";
    }

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace

const LayerKind& global_max_pooling1d_kind() {
    static const GlobalMaxPooling1DKind kind;
    return kind;
}

}  // namespace convscope
