// Floor/ceil division that stay correct for negative numerators, which the
// padding arithmetic produces near the signal's edges.
#pragma once

#include <cstdint>

namespace convscope::kernels {

constexpr int64_t floor_div(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

constexpr int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

}  // namespace convscope::kernels
