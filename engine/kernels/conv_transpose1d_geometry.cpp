#include "kernels/conv_transpose1d_geometry.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "kernels/geometry_checks.hpp"

namespace convscope::kernels {

int64_t conv_transpose1d_output_length(const ConvTranspose1dGeometry& g, int64_t length) {
    // L_out = (L - 1)*s - pad_l - pad_r + d*(k-1) + output_padding + 1
    return (length - 1) * g.stride - g.pad_left - g.pad_right + g.dilation * (g.kernel_size - 1) +
           g.output_padding + 1;
}

void validate(const ConvTranspose1dGeometry& g) {
    require_valid_window(g, "conv_transpose1d");
    if (g.output_padding < 0 || g.output_padding >= std::max(g.stride, g.dilation))
        throw std::invalid_argument("conv_transpose1d geometry: output_padding (" + std::to_string(g.output_padding) +
                                    ") must be >= 0 and smaller than stride (" + std::to_string(g.stride) +
                                    ") or dilation (" + std::to_string(g.dilation) + ")");
}

}  // namespace convscope::kernels
