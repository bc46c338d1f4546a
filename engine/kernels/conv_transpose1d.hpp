// Transposed 1-D convolution (PyTorch ConvTranspose1d semantics, zero padding), float32.
#pragma once

#include <cstdint>
#include <span>

#include "kernels/conv_transpose1d_geometry.hpp"
#include "kernels/conv_workspace.hpp"
#include "kernels/layout.hpp"

namespace convscope::kernels {

// weight [C_in, C_out/groups, K] (PyTorch layout), bias [C_out] or empty.
// ChannelsFirst: x [N, C_in, L], y [N, C_out, L_out]; ChannelsLast: x [N, L, C_in], y [N, L_out, C_out].
// Throws std::invalid_argument on bad geometry, L_out <= 0 or spans of the wrong size.
void conv_transpose1d(const ConvTranspose1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                      std::span<const float> x, std::span<const float> weight, std::span<const float> bias,
                      std::span<float> y, ConvWorkspace& ws);

}  // namespace convscope::kernels
