// Programming-error guards shared by the convolution entry points: callers
// validate user input first, so a failure here means a bug upstream.
#pragma once

#include <cstdint>
#include <span>

#include "kernels/conv1d_geometry.hpp"
#include "kernels/conv_transpose1d_geometry.hpp"

namespace convscope::kernels {

// Validate geometry, batch/length and every span size; return L_out (>= 1).
int64_t check_conv1d_arguments(const Conv1dGeometry& g, int64_t batch, int64_t length, std::span<const float> x,
                               std::span<const float> weight, std::span<const float> bias, std::span<float> y);
int64_t check_conv_transpose1d_arguments(const ConvTranspose1dGeometry& g, int64_t batch, int64_t length,
                                         std::span<const float> x, std::span<const float> weight,
                                         std::span<const float> bias, std::span<float> y);

}  // namespace convscope::kernels
