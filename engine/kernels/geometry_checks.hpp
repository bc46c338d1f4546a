// The checks every convolution geometry shares (channels, kernel, stride,
// dilation, groups, padding); `what` names the operation in the message.
#pragma once

#include <stdexcept>
#include <string>

namespace convscope::kernels {

template <class Geometry>
void require_valid_window(const Geometry& g, const std::string& what) {
    auto require = [&](bool ok, const std::string& why) {
        if (!ok) throw std::invalid_argument(what + " geometry: " + why);
    };
    require(g.in_channels >= 1, "in_channels must be >= 1, got " + std::to_string(g.in_channels));
    require(g.out_channels >= 1, "out_channels must be >= 1, got " + std::to_string(g.out_channels));
    require(g.kernel_size >= 1, "kernel_size must be >= 1, got " + std::to_string(g.kernel_size));
    require(g.stride >= 1, "stride must be >= 1, got " + std::to_string(g.stride));
    require(g.dilation >= 1, "dilation must be >= 1, got " + std::to_string(g.dilation));
    require(g.groups >= 1, "groups must be >= 1, got " + std::to_string(g.groups));
    require(g.in_channels % g.groups == 0, "groups (" + std::to_string(g.groups) + ") must divide in_channels (" +
                                               std::to_string(g.in_channels) + ")");
    require(g.out_channels % g.groups == 0, "groups (" + std::to_string(g.groups) + ") must divide out_channels (" +
                                                std::to_string(g.out_channels) + ")");
    require(g.pad_left >= 0 && g.pad_right >= 0,
            "padding must be >= 0, got [" + std::to_string(g.pad_left) + ", " + std::to_string(g.pad_right) + "]");
}

}  // namespace convscope::kernels
