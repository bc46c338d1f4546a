#include "kernels/conv1d_geometry.hpp"

#include <stdexcept>
#include <string>

#include "kernels/integer_math.hpp"

namespace convscope::kernels {

int64_t conv1d_output_length(const Conv1dGeometry& g, int64_t length) {
    // L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1, with floor (not
    // truncation) so a too-short input gives a non-positive length.
    if (g.stride < 1) throw std::invalid_argument("conv1d geometry: stride must be >= 1, got " + std::to_string(g.stride));
    const int64_t span = length + g.pad_left + g.pad_right - g.effective_kernel();
    return floor_div(span, g.stride) + 1;
}

void validate(const Conv1dGeometry& g) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw std::invalid_argument("conv1d geometry: " + what);
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
}

}  // namespace convscope::kernels
