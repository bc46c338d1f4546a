#include "kernels/conv_transpose1d_geometry.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace convscope::kernels {

int64_t conv_transpose1d_output_length(const ConvTranspose1dGeometry& g, int64_t length) {
    // L_out = (L - 1)*s - pad_l - pad_r + d*(k-1) + output_padding + 1
    return (length - 1) * g.stride - g.pad_left - g.pad_right + g.dilation * (g.kernel_size - 1) +
           g.output_padding + 1;
}

void validate(const ConvTranspose1dGeometry& g) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw std::invalid_argument("conv_transpose1d geometry: " + what);
    };
    require(g.in_channels >= 1, "in_channels must be >= 1, got " + std::to_string(g.in_channels));
    require(g.out_channels >= 1, "out_channels must be >= 1, got " + std::to_string(g.out_channels));
    require(g.kernel_size >= 1, "kernel_size must be >= 1, got " + std::to_string(g.kernel_size));
    require(g.stride >= 1, "stride must be >= 1, got " + std::to_string(g.stride));
    require(g.dilation >= 1, "dilation must be >= 1, got " + std::to_string(g.dilation));
    require(g.groups >= 1, "groups must be >= 1, got " + std::to_string(g.groups));
    require(g.in_channels % g.groups == 0, "groups (" + std::to_string(g.groups) +
                                               ") must divide in_channels (" + std::to_string(g.in_channels) + ")");
    require(g.out_channels % g.groups == 0, "groups (" + std::to_string(g.groups) +
                                                ") must divide out_channels (" + std::to_string(g.out_channels) + ")");
    require(g.pad_left >= 0 && g.pad_right >= 0, "padding must be >= 0, got [" + std::to_string(g.pad_left) + ", " +
                                                     std::to_string(g.pad_right) + "]");
    require(g.output_padding >= 0 && g.output_padding < std::max(g.stride, g.dilation),
            "output_padding (" + std::to_string(g.output_padding) + ") must be >= 0 and smaller than stride (" +
                std::to_string(g.stride) + ") or dilation (" + std::to_string(g.dilation) + ")");
}

}  // namespace convscope::kernels
