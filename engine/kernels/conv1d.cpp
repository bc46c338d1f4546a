// conv1d entry point: picks the lowering for the geometry.
#include "kernels/conv1d.hpp"

namespace convscope::kernels {

namespace {
constexpr int64_t kWinogradMinChannels = 16;
}  // namespace

Conv1dAlgorithm choose_conv1d_algorithm(const Conv1dGeometry& g, Layout /*layout*/) {
    validate(g);  // the rules below divide by groups
    // Depthwise: direct loops beat the per-channel 1-row sgemms (measured, see
    // docs/PERFORMANCE.md).
    if (g.groups == g.in_channels && g.groups > 1) return Conv1dAlgorithm::DepthwiseDirect;
    // Winograd halves the multiplications, but its six sgemms have depth
    // C_in/g only; with few channels the transforms dominate (measured, see
    // docs/PERFORMANCE.md).
    if (winograd_applies(g) && g.in_per_group() >= kWinogradMinChannels && g.out_per_group() >= kWinogradMinChannels)
        return Conv1dAlgorithm::Winograd;
    return Conv1dAlgorithm::Gemm;
}

void conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
            std::span<const float> weight, std::span<const float> bias, std::span<float> y, ConvWorkspace& ws) {
    switch (choose_conv1d_algorithm(g, layout)) {
    case Conv1dAlgorithm::DepthwiseDirect: return depthwise_conv1d(g, layout, batch, length, x, weight, bias, y, ws);
    case Conv1dAlgorithm::Winograd: return winograd_conv1d(g, layout, batch, length, x, weight, bias, y, ws);
    case Conv1dAlgorithm::Gemm: break;
    }
    conv1d_gemm(g, layout, batch, length, x, weight, bias, y, ws);
}

}  // namespace convscope::kernels
