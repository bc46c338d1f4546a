// GlobalAveragePooling1D (Keras) / x.mean(dim=-1) in PyTorch: each channel's mean over the length.
// Keras consumes the mask here: the mean runs over real steps only.
#include "layers/catalogue_entries.hpp"
#include "layers/global_pooling.hpp"

namespace convscope {

namespace {

class GlobalAveragePooling1DKind final : public GlobalPoolingKind {
public:
    std::string_view type() const override { return "GlobalAveragePooling1D"; }
    std::string_view summary() const override {
        return "Reduces every channel over the whole length to one value, removing the length axis.";
    }
    MaskRule mask_rule() const override { return MaskRule::Consume; }

private:
    bool is_max() const override { return false; }
};

}  // namespace

const LayerKind& global_average_pooling1d_kind() {
    static const GlobalAveragePooling1DKind kind;
    return kind;
}

}  // namespace convscope
