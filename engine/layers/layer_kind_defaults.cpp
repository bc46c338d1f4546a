// Default behaviours shared by most layer kinds.
#include "layers/forward_support.hpp"
#include "layers/layer_kind.hpp"

namespace convscope {

StepMask LayerKind::contamination(const LayerSpec&, DataFormat format, const StepMask& in, const TensorType& out) const {
    if (out.rank() != 3) return forward_support::collapse(in);
    const int64_t out_length = out.shape[layer_support::length_axis(format)];
    if (out_length == in.length) return in;
    // A layer that changes the length without a window rule of its own: any flag reaches everything.
    const StepMask any = forward_support::collapse(in);
    StepMask result(in.batch, out_length);
    for (int64_t b = 0; b < in.batch; ++b)
        for (int64_t t = 0; t < out_length; ++t) result.at(b, t) = any.at(b, 0);
    return result;
}

}  // namespace convscope
