// Lowering of one length tile of one group of one batch item to a patch matrix
// whose product with the weights is the convolution. Padding is resolved here,
// so the sgemm that follows never sees the signal's edges.
#pragma once

#include <cstdint>

#include "kernels/conv1d_geometry.hpp"

namespace convscope::kernels {

// ChannelsFirst. x_group: the group's first channel row of one item, rows of
// `length` samples. cols: [C_in/g * K][tile], row ci*K + k holds
// x[ci, (t0 + j)*s + k*d - pad_l] for j in [0, tile) — the order of the
// PyTorch weight's [C_in/g, K] axes, so the weight needs no packing.
void im2col_channels_first(const Conv1dGeometry& g, int64_t length, const float* x_group, int64_t t0, int64_t tile,
                           float* cols);

// ChannelsLast. x_group: one item's [L, C_in] with the group's channel offset
// applied. patches: [tile][K * C_in/g], row j holds the K input rows
// x[(t0 + j)*s + k*d - pad_l, group channels] one after another.
void im2col_channels_last(const Conv1dGeometry& g, int64_t length, const float* x_group, int64_t t0, int64_t tile,
                          float* patches);

}  // namespace convscope::kernels
