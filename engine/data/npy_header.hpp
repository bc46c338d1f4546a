// The header of a NumPy .npy file: magic, version, and a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace convscope::data {

struct NpyDtype {
    char kind = 'f';         // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
    int itemsize = 4;        // bytes per element
    bool big_endian = false;
    std::string name() const;  // "float32", "int16", "bool", ...
};

struct NpyHeader {
    int version_major = 1;
    std::string descr;  // as written, e.g. "<f4"
    NpyDtype dtype;
    bool fortran_order = false;
    std::vector<int64_t> shape;
    size_t data_offset = 0;  // where the elements start
    int64_t element_count = 0;
};

// Parses and checks the header at the start of `bytes` (the whole file or more).
// `source` names the file in messages. Checks that the declared shape fits in
// the bytes that follow, so no caller ever allocates or reads past the data.
// `total_size` is the full file size when `bytes` holds only its start (an
// .npz member whose header is read before the data).
Result<NpyHeader> parse_npy_header(std::span<const std::byte> bytes, const std::string& source,
                                   std::optional<uint64_t> total_size = std::nullopt);

// Parses a dtype string such as "<f4", "|b1", ">i8".
Result<NpyDtype> parse_npy_descr(const std::string& descr, const std::string& where);

}  // namespace convscope::data
