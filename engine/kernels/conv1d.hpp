// 1-D convolution (PyTorch Conv1d semantics, any padding_mode), float32.
#pragma once

#include <cstdint>
#include <span>

#include "kernels/conv1d_geometry.hpp"
#include "kernels/conv_workspace.hpp"
#include "kernels/layout.hpp"

namespace convscope::kernels {

// weight [C_out, C_in/groups, K] (PyTorch layout whatever `layout` is), bias [C_out] or empty.
// ChannelsFirst: x [N, C_in, L], y [N, C_out, L_out]; ChannelsLast: x [N, L, C_in], y [N, L_out, C_out].
// Throws std::invalid_argument on bad geometry, L_out <= 0 or spans of the wrong size.
// Threads: as many as OpenBLAS is set to (openblas_set_num_threads); the
// sgemms use OpenBLAS's pool, the depthwise loops their own threads per call.
// Not reentrant on one workspace: give each calling thread its own.
void conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
            std::span<const float> weight, std::span<const float> bias, std::span<float> y, ConvWorkspace& ws);

// The lowerings conv1d chooses between; exposed so tests and benchmarks can
// run each one. Same contract as conv1d.
enum class Conv1dAlgorithm { Gemm, DepthwiseDirect, Winograd };
Conv1dAlgorithm choose_conv1d_algorithm(const Conv1dGeometry& g, Layout layout);

// im2col (or direct strided views of x) + cblas_sgemm, tiled along the length.
void conv1d_gemm(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
                 std::span<const float> weight, std::span<const float> bias, std::span<float> y, ConvWorkspace& ws);

// Winograd F(4,3) for kernel_size 3, stride 1, dilation 1 (any groups,
// padding, layout); six sgemms over the channels per tile chunk.
bool winograd_applies(const Conv1dGeometry& g);
void winograd_conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length, std::span<const float> x,
                     std::span<const float> weight, std::span<const float> bias, std::span<float> y,
                     ConvWorkspace& ws);

// Direct loops for groups == in_channels (depthwise, any depth multiplier).
void depthwise_conv1d(const Conv1dGeometry& g, Layout layout, int64_t batch, int64_t length,
                      std::span<const float> x, std::span<const float> weight, std::span<const float> bias,
                      std::span<float> y, ConvWorkspace& ws);

}  // namespace convscope::kernels
