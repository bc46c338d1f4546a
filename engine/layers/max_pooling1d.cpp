// MaxPooling1D (Keras) / nn.MaxPool1d (PyTorch): max over windows of pool_size steps.
// See pooling_shape.hpp for the length formulas.
#include "common/limits.hpp"
#include "layers/catalogue_entries.hpp"
#include "layers/common_params.hpp"
#include "layers/pooling_shape.hpp"

namespace convscope {

using namespace layer_support;

namespace {

class MaxPooling1DKind final : public WindowPoolingKind {
public:
    MaxPooling1DKind();
    std::string_view type() const override { return "MaxPooling1D"; }
    std::string_view summary() const override;
    std::span<const ParamInfo> params() const override { return schema_; }

private:
    bool is_max() const override { return true; }
    PoolShapeParams shape_params(const LayerSpec& spec) const override {
        PoolShapeParams p;
        p.type = "MaxPooling1D";
        p.pool = get_int(spec, schema_, "pool_size");
        p.stride = get_optional_int(spec, schema_, "strides").value_or(p.pool);
        p.dilation = get_int(spec, schema_, "dilation_rate");
        p.padding = parse_padding(value(spec, schema_, "padding"));
        p.ceil_mode = get_bool(spec, schema_, "ceil_mode");
        return p;
    }
    std::vector<ParamInfo> schema_;
};

MaxPooling1DKind::MaxPooling1DKind()
    : schema_{common_params::pool_size(), common_params::pool_strides(), common_params::pool_padding(),
              common_params::ceil_mode(),
              {"dilation_rate", ParamKind::Int, 1, "PyTorch MaxPool1d dilation: gap between window taps.", {}, 1, static_cast<double>(limits::kMaxDilation)}} {}

std::string_view MaxPooling1DKind::summary() const {
    return "Keeps the largest value in each window of pool_size steps (PyTorch nn.MaxPool1d).";
}

}  // namespace

const LayerKind& max_pooling1d_kind() {
    static const MaxPooling1DKind kind;
    return kind;
}

}  // namespace convscope
