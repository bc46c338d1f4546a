// NumPy .npz archives: a zip of .npy members, stored or deflated (np.savez,
// np.savez_compressed). Read with libzip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "data/npy_array.hpp"

namespace convscope::data {

struct NpzEntry {
    std::string name;  // the key, without ".npy"
    std::vector<int64_t> shape;
    std::string dtype;  // "float32", ...
    bool compressed = false;
    uint64_t bytes = 0;  // uncompressed size of the member
};

Result<std::vector<NpzEntry>> list_npz(const std::filesystem::path& path);
// The member named `key` (without ".npy"); the first member when key is empty.
// The member is decompressed into memory (zip members cannot be mapped).
Result<NpyArray> read_npz_array(const std::filesystem::path& path, const std::string& key = {});

// The same over an archive held in memory (tests, fuzzing); `source` names it.
Result<std::vector<NpzEntry>> list_npz_bytes(std::span<const std::byte> archive, const std::string& source);
Result<NpyArray> read_npz_array_bytes(std::span<const std::byte> archive, const std::string& source,
                                      const std::string& key = {});

}  // namespace convscope::data
