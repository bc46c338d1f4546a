// Shape parameters of a transposed 1-D convolution (PyTorch ConvTranspose1d).
#pragma once

#include <cstdint>

namespace convscope::kernels {

struct ConvTranspose1dGeometry {
    int64_t in_channels = 1, out_channels = 1, kernel_size = 1;
    int64_t stride = 1, dilation = 1, groups = 1;
    // PyTorch's `padding`, trimmed from each end of the full output; may differ
    // so Keras 'same' (extra trimmed on the right) can be expressed.
    int64_t pad_left = 0, pad_right = 0;
    int64_t output_padding = 0;  // added on the right

    int64_t in_per_group() const { return in_channels / groups; }
    int64_t out_per_group() const { return out_channels / groups; }
};

// L_out = (L - 1)*s - pad_l - pad_r + d*(k-1) + output_padding + 1. May be <= 0.
int64_t conv_transpose1d_output_length(const ConvTranspose1dGeometry& g, int64_t length);

// Throws std::invalid_argument naming the offending field. Like PyTorch,
// output_padding must be smaller than stride or dilation.
void validate(const ConvTranspose1dGeometry& g);

}  // namespace convscope::kernels
