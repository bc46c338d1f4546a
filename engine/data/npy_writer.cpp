#include "data/npy_writer.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "common/atomic_write.hpp"

namespace convscope::data {

namespace {

static_assert(std::endian::native == std::endian::little, "the writer emits little-endian data as-is");

Status write_raw(const std::filesystem::path& path, const std::vector<int64_t>& shape, const char* descr,
                 const void* data, size_t count, size_t itemsize) {
    int64_t expected = 1;
    for (int64_t d : shape) {
        if (d < 0) return make_error("cannot write " + path.string() + ": negative dimension in shape");
        expected *= d;
    }
    if (static_cast<size_t>(expected) != count)
        return make_error("cannot write " + path.string() + ": shape holds " + std::to_string(expected) +
                          " elements but " + std::to_string(count) + " values were given");
    std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
    for (size_t i = 0; i < shape.size(); ++i) dict += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? ", " : "");
    if (shape.size() == 1) dict.pop_back();  // "(5,)" not "(5, )"
    dict += "), }";
    // Pad with spaces so the data starts on a 64-byte boundary, as NumPy does, ending in '\n'.
    const size_t prefix = 10;
    size_t total = prefix + dict.size() + 1;
    const size_t padded = (total + 63) / 64 * 64;
    dict.append(padded - total, ' ');
    dict += '\n';
    std::string out;
    out.reserve(padded + count * itemsize);
    out.append("\x93NUMPY\x01\x00", 8);
    const auto hlen = static_cast<uint16_t>(dict.size());
    out.push_back(static_cast<char>(hlen & 0xff));
    out.push_back(static_cast<char>(hlen >> 8));
    out += dict;
    out.append(static_cast<const char*>(data), count * itemsize);
    return write_file_atomically(path, std::string_view(out));
}

}  // namespace

Status write_npy(const std::filesystem::path& path, const std::vector<int64_t>& shape, std::span<const float> values) {
    return write_raw(path, shape, "<f4", values.data(), values.size(), 4);
}

Status write_npy_bool(const std::filesystem::path& path, const std::vector<int64_t>& shape,
                      std::span<const uint8_t> values) {
    std::vector<uint8_t> clean(values.begin(), values.end());
    for (auto& v : clean) v = v ? 1 : 0;  // NumPy bools must be exactly 0 or 1
    return write_raw(path, shape, "|b1", clean.data(), clean.size(), 1);
}

Status write_npy_int64(const std::filesystem::path& path, const std::vector<int64_t>& shape,
                       std::span<const int64_t> values) {
    return write_raw(path, shape, "<i8", values.data(), values.size(), 8);
}

}  // namespace convscope::data
