// The shape rule and reduction shared by GlobalMaxPooling1D and
// GlobalAveragePooling1D: (B, L, C) or (B, C, L) -> (B, C), or length 1 with keepdims.
#pragma once

#include "layers/layer_kind.hpp"

namespace convscope {

class GlobalPoolingKind : public LayerKind {
public:
    GlobalPoolingKind();
    std::span<const ParamInfo> params() const final { return schema_; }
    ShapeOutcome infer(const LayerSpec& spec, const TensorType& in, const LayerContext& ctx) const final;
    StepMap step_map(const LayerSpec&, DataFormat) const final { return {1, 1, true}; }
    std::string length_rule(const LayerSpec& spec, DataFormat) const final;
    // Max, or the mean over the real steps when a mask arrives (Keras' masked average).
    Tensor forward(const LayerSpec& spec, const ForwardArgs& args) const final;

protected:
    virtual bool is_max() const = 0;

private:
    std::vector<ParamInfo> schema_;
};

}  // namespace convscope
