// Memory order of a batch of 1-D signals.
#pragma once

namespace convscope::kernels {

// ChannelsFirst: [N, C, L] (PyTorch). ChannelsLast: [N, L, C] (Keras). Row-major, contiguous.
enum class Layout { ChannelsFirst, ChannelsLast };

}  // namespace convscope::kernels
