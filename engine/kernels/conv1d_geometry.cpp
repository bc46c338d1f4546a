#include "kernels/conv1d_geometry.hpp"

#include <stdexcept>
#include <string>

#include "kernels/geometry_checks.hpp"

#include "kernels/integer_math.hpp"

namespace convscope::kernels {

int64_t conv1d_output_length(const Conv1dGeometry& g, int64_t length) {
    // L_out = floor((L + pad_l + pad_r - d*(k-1) - 1) / s) + 1, with floor (not
    // truncation) so a too-short input gives a non-positive length.
    if (g.stride < 1) throw std::invalid_argument("conv1d geometry: stride must be >= 1, got " + std::to_string(g.stride));
    const int64_t span = length + g.pad_left + g.pad_right - g.effective_kernel();
    return floor_div(span, g.stride) + 1;
}

void validate(const Conv1dGeometry& g) {
    require_valid_window(g, "conv1d");
}

}  // namespace convscope::kernels
