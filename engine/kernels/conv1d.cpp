// conv1d entry point: picks the lowering for the geometry.
#include "kernels/conv1d.hpp"

namespace convscope::kernels {

Conv1dAlgorithm choose_conv1d_algorithm(const Conv1dGeometry& g, Layout /*layout*/) {
    // Depthwise: direct loops beat the per-channel 1-row sgemms (measured, see
    // docs/PERFORMANCE.md).
    if (g.groups == g.in_channels && g.groups > 1) return Conv1dAlgorithm::DepthwiseDirect;
    return Conv1dAlgorithm::Gemm;
}

void conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
            std::span<const float> weight, std::span<const float> bias, std::span<float> y, ConvWorkspace& ws) {
    if (choose_conv1d_algorithm(g, layout) == Conv1dAlgorithm::DepthwiseDirect)
        depthwise_conv1d(g, layout, batch, length, x, weight, bias, y, ws);
    else
        conv1d_gemm(g, layout, batch, length, x, weight, bias, y, ws);
}

}  // namespace convscope::kernels
