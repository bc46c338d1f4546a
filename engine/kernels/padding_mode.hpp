// How a convolution reads positions outside the signal (PyTorch's padding_mode).
#pragma once

#include <cstdint>
#include <string_view>

namespace convscope::kernels {

enum class PadMode { Zeros, Reflect, Replicate, Circular };

std::string_view to_string(PadMode mode);

// Index into a signal of `length` samples that padded position `p` reads
// (p < 0 is left padding, p >= length right padding), or -1 for a zero.
// Reflect and Circular keep going periodically when the padding exceeds the
// signal, where PyTorch refuses; inside PyTorch's domain they agree with
// torch.nn.functional.pad.
int64_t padded_source_index(PadMode mode, int64_t p, int64_t length);

}  // namespace convscope::kernels
