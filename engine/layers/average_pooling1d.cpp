// AveragePooling1D (Keras) / nn.AvgPool1d (PyTorch): average over windows of pool_size steps.
// See pooling_shape.hpp for the length formulas.
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/pooling_shape.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class AveragePooling1DKind final : public WindowPoolingKind {
public:
    AveragePooling1DKind();
    std::string_view type() const override { return "AveragePooling1D"; }
    std::string_view summary() const override;
    std::span<const ParamInfo> params() const override { return schema_; }

private:
    bool is_max() const override { return false; }
    bool count_include_pad(const LayerSpec& spec) const override { return get_bool(spec, schema_, "count_include_pad"); }
    PoolShapeParams shape_params(const LayerSpec& spec) const override {
        PoolShapeParams p;
        p.type = "AveragePooling1D";
        p.pool = get_int(spec, schema_, "pool_size");
        p.stride = get_optional_int(spec, schema_, "strides").value_or(p.pool);
        p.padding = parse_padding(value(spec, schema_, "padding"));
        p.ceil_mode = get_bool(spec, schema_, "ceil_mode");
        return p;
    }
    std::vector<ParamInfo> schema_;
};

AveragePooling1DKind::AveragePooling1DKind()
    : schema_{common_params::pool_size(), common_params::pool_strides(), common_params::pool_padding(),
              common_params::ceil_mode(),
              {"count_include_pad", ParamKind::Bool, true,
               "PyTorch AvgPool1d: count padded steps in the average (Keras 'same' pooling does not)."}} {}

std::string_view AveragePooling1DKind::summary() const {
    return "Averages each window of pool_size steps (PyTorch nn.AvgPool1d).";
}

}  // namespace

const LayerKind& average_pooling1d_kind() {
    static const AveragePooling1DKind kind;
    return kind;
}

}  // namespace convscope
