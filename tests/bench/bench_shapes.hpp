// The benchmark shapes shared by conv1d_bench and (by name) torch_conv1d_bench.py.
#pragma once

#include <array>
#include <cstdint>

#include "kernels/conv1d_geometry.hpp"

namespace convscope::bench {

struct BenchShape {
    const char* name;
    int64_t batch, length, in_channels, out_channels, kernel_size, stride, dilation, groups;
};

inline constexpr std::array<BenchShape, 5> kShapes = {{
    {"a_64to64_k3", 32, 1000, 64, 64, 3, 1, 1, 1},
    {"b_depthwise64_k9", 32, 1000, 64, 64, 9, 1, 1, 64},
    {"c_dil8_32to32_k3", 32, 1000, 32, 32, 3, 1, 8, 1},
    {"d_s2_16to64_k7", 32, 1000, 16, 64, 7, 2, 1, 1},
    {"e_mono1M_1to16_k64", 1, 1000000, 1, 16, 64, 1, 1, 1},
}};

// Keras 'same': L_out = ceil(L / s), the odd extra padding on the right.
inline kernels::Conv1dGeometry same_geometry(const BenchShape& s) {
    kernels::Conv1dGeometry g;
    g.in_channels = s.in_channels;
    g.out_channels = s.out_channels;
    g.kernel_size = s.kernel_size;
    g.stride = s.stride;
    g.dilation = s.dilation;
    g.groups = s.groups;
    const int64_t out = (s.length + s.stride - 1) / s.stride;
    const int64_t total = (out - 1) * s.stride + g.effective_kernel() - s.length;
    g.pad_left = total > 0 ? total / 2 : 0;
    g.pad_right = total > 0 ? total - total / 2 : 0;
    return g;
}

inline double conv_flops(const BenchShape& s) {
    const auto g = same_geometry(s);
    const double out_len = double(kernels::conv1d_output_length(g, s.length));
    return 2.0 * double(s.batch) * double(s.out_channels) * out_len * double(g.in_per_group()) *
           double(s.kernel_size);
}

}  // namespace convscope::bench
