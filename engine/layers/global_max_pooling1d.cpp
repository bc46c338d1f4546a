// GlobalMaxPooling1D (Keras) / x.amax(dim=-1) in PyTorch: the largest value of each channel.
// Keras does not use a mask here (padded steps can win the max; the contamination map shows it).
#include "layers/catalogue_entries.hpp"
#include "layers/global_pooling.hpp"

namespace convscope {

namespace {

class GlobalMaxPooling1DKind final : public GlobalPoolingKind {
public:
    std::string_view type() const override { return "GlobalMaxPooling1D"; }
    std::string_view summary() const override {
        return "Reduces every channel over the whole length to one value, removing the length axis.";
    }
    MaskRule mask_rule() const override { return MaskRule::Drop; }

private:
    bool is_max() const override { return true; }
};

}  // namespace

const LayerKind& global_max_pooling1d_kind() {
    static const GlobalMaxPooling1DKind kind;
    return kind;
}

}  // namespace convscope
