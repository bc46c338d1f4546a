// Shape parameters of a 1-D convolution and the output length they imply.
#pragma once

#include <cstdint>

#include "kernels/padding_mode.hpp"

namespace convscope::kernels {

struct Conv1dGeometry {
    int64_t in_channels = 1, out_channels = 1, kernel_size = 1;
    int64_t stride = 1, dilation = 1, groups = 1;
    int64_t pad_left = 0, pad_right = 0;  // already resolved from valid/same/causal by the caller
    PadMode pad_mode = PadMode::Zeros;

    int64_t in_per_group() const { return in_channels / groups; }
    int64_t out_per_group() const { return out_channels / groups; }
    // Span of input samples one output sample sees: d*(k-1) + 1.
    int64_t effective_kernel() const { return dilation * (kernel_size - 1) + 1; }
};

// L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1. May be <= 0: the caller reports it.
int64_t conv1d_output_length(const Conv1dGeometry& g, int64_t length);

// Throws std::invalid_argument naming the offending field when the geometry
// cannot describe a convolution (non-positive sizes, groups not dividing the
// channels, negative padding).
void validate(const Conv1dGeometry& g);

}  // namespace convscope::kernels
