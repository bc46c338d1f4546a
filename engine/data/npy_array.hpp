// A NumPy .npy array read in place: the file is memory-mapped and elements are
// converted to float only when asked for, so opening costs nothing per element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "data/npy_header.hpp"

namespace convscope::data {

class NpyArray {
public:
    static Result<NpyArray> open(const std::filesystem::path& path);
    // An .npy image held in memory (an .npz member, a fuzz input); `source` names it in messages.
    static Result<NpyArray> from_bytes(std::vector<std::byte> bytes, std::string source);

    const std::vector<int64_t>& shape() const { return header_.shape; }
    std::string dtype_name() const { return header_.dtype.name(); }
    const std::string& descr() const { return header_.descr; }
    bool fortran_order() const { return header_.fortran_order; }
    int64_t size() const { return header_.element_count; }
    int version() const { return header_.version_major; }
    const std::string& source() const { return source_; }

    // Element at a logical C-order index, converted to float; NaN when out of range.
    float value(int64_t flat_c_index) const;
    // Converts elements [first, first + out.size()) in logical C order; positions past
    // the end are filled with NaN rather than read.
    void read_range(int64_t first_c_index, std::span<float> out) const;
    // Whether the stored element (before conversion to float) is finite: a float64
    // such as 1e308 is, although it becomes infinite as float32. Only float64 can differ.
    bool stored_value_finite(int64_t flat_c_index) const;
    // Tells the OS that this range was consumed, so a streaming pass over a huge
    // mapped file does not keep it all resident. A no-op for in-memory arrays.
    void release_range(int64_t first_c_index, int64_t count) const;

private:
    struct Storage;
    NpyArray(std::shared_ptr<const Storage> storage, NpyHeader header, std::string source);
    void read_contiguous(int64_t first_elem, std::span<float> out) const;

    std::shared_ptr<const Storage> storage_;  // shared: copies of the array are cheap
    const std::byte* data_ = nullptr;         // first element, inside storage_
    NpyHeader header_;
    std::string source_;
};

}  // namespace convscope::data
