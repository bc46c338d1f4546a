#include "kernels/padding_mode.hpp"

namespace convscope::kernels {

namespace {
int64_t positive_mod(int64_t a, int64_t m) {
    const int64_t r = a % m;
    return r < 0 ? r + m : r;
}
}  // namespace

std::string_view to_string(PadMode mode) {
    switch (mode) {
    case PadMode::Zeros: return "zeros";
    case PadMode::Reflect: return "reflect";
    case PadMode::Replicate: return "replicate";
    case PadMode::Circular: return "circular";
    }
    return "unknown";
}

int64_t padded_source_index(PadMode mode, int64_t p, int64_t length) {
    if (p >= 0 && p < length) return p;
    switch (mode) {
    case PadMode::Zeros: return -1;
    case PadMode::Replicate: return p < 0 ? 0 : length - 1;
    case PadMode::Circular: return positive_mod(p, length);
    case PadMode::Reflect: {
        // Mirror without repeating the edge sample: ... 2 1 [0 1 2 3] 2 1 0 1 ...,
        // which repeats with period 2*(length-1).
        if (length == 1) return 0;
        const int64_t m = positive_mod(p, 2 * (length - 1));
        return m < length ? m : 2 * (length - 1) - m;
    }
    }
    return -1;
}

}  // namespace convscope::kernels
