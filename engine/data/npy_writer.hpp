// Writing .npy files (format 1.0, C order) that NumPy reads back unchanged.
// Every write is atomic: the target is replaced whole or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "common/result.hpp"

namespace convscope::data {

// float32 ('<f4').
Status write_npy(const std::filesystem::path& path, const std::vector<int64_t>& shape, std::span<const float> values);
// bool ('|b1'), for masks: one byte per element, 0 or 1.
Status write_npy_bool(const std::filesystem::path& path, const std::vector<int64_t>& shape,
                      std::span<const uint8_t> values);
// int64 ('<i8'), for lengths and indices.
Status write_npy_int64(const std::filesystem::path& path, const std::vector<int64_t>& shape,
                       std::span<const int64_t> values);

}  // namespace convscope::data
