#include "kernels/conv_workspace.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "kernels/integer_math.hpp"

namespace convscope::kernels {

void ConvWorkspace::set_max_tile_length(int64_t positions) {
    if (positions < 0) throw std::invalid_argument("ConvWorkspace: max_tile_length must be >= 0 (0 = automatic)");
    max_tile_length_ = positions;
}

void ConvWorkspace::set_tile_bytes(std::size_t bytes) {
    tile_bytes_ = std::clamp<std::size_t>(bytes, sizeof(float), kMaxScratchBytes);
}

int64_t ConvWorkspace::tile_length(int64_t floats_per_position, int64_t total_positions) const {
    const auto bytes_per_position = static_cast<std::size_t>(std::max<int64_t>(floats_per_position, 1)) * sizeof(float);
    if (bytes_per_position > kMaxScratchBytes)
        throw std::invalid_argument("conv scratch: one output position needs " + std::to_string(bytes_per_position) +
                                    " bytes of patches, more than the " + std::to_string(kMaxScratchBytes) +
                                    "-byte workspace cap (channels/groups * kernel_size too large)");
    auto tile = static_cast<int64_t>(std::max<std::size_t>(tile_bytes_ / bytes_per_position, 1));
    if (max_tile_length_ > 0) tile = std::min(tile, max_tile_length_);
    const int64_t total = std::max<int64_t>(total_positions, 1);
    tile = std::clamp<int64_t>(tile, 1, total);
    // Equal tiles: 1000 positions as 500 + 500 rather than 682 + 318, so no
    // sgemm is left with a thin remainder.
    const int64_t count = ceil_div(total, tile);
    return ceil_div(total, count);
}

std::span<float> ConvWorkspace::grow(std::vector<float>& buffer, std::size_t count) {
    if (buffer.size() < count) buffer.resize(count);
    return std::span<float>(buffer).first(count);
}

void ConvWorkspace::release() {
    patches_ = {};
    packed_weights_ = {};
}

}  // namespace convscope::kernels
