#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <variant>

#include "data/mapped_file.hpp"
#include "data/npy_array.hpp"

namespace convscope::data {

struct NpyArray::Storage {
    std::variant<MappedFile, std::vector<std::byte>> holder;
    std::span<const std::byte> bytes() const {
        if (auto* m = std::get_if<MappedFile>(&holder)) return m->bytes();
        return std::get<std::vector<std::byte>>(holder);
    }
};

namespace {

float half_to_float(uint16_t h) {
    const uint32_t sign = (h >> 15) & 1u, exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    float v;
    if (exp == 0) v = std::ldexp(static_cast<float>(mant), -24);  // subnormal or zero
    else if (exp == 31) v = mant ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
    else v = std::ldexp(static_cast<float>(mant | 0x400u), static_cast<int>(exp) - 25);
    return sign ? -v : v;
}

template <class U>
U load_bits(const std::byte* p, bool swap) {
    U u;
    std::memcpy(&u, p, sizeof(U));
    if (swap) {
        if constexpr (sizeof(U) == 2) u = static_cast<U>(__builtin_bswap16(u));
        else if constexpr (sizeof(U) == 4) u = __builtin_bswap32(u);
        else if constexpr (sizeof(U) == 8) u = __builtin_bswap64(u);
    }
    return u;
}

// One conversion loop per dtype, chosen once per call: this is the hot path of
// every streaming pass over an array.
template <class T, class U>
void convert_loop(const std::byte* src, size_t n, float* out, bool swap) {
    for (size_t i = 0; i < n; ++i) {
        const U bits = load_bits<U>(src + i * sizeof(U), swap);
        out[i] = static_cast<float>(std::bit_cast<T>(bits));
    }
}

void convert_contiguous(const NpyDtype& dt, const std::byte* src, size_t n, float* out) {
    const bool swap = dt.big_endian != (std::endian::native == std::endian::big);
    switch (dt.kind) {
        case 'f':
            if (dt.itemsize == 4) {
                if (!swap) std::memcpy(out, src, n * 4);
                else convert_loop<float, uint32_t>(src, n, out, true);
            } else if (dt.itemsize == 8) {
                convert_loop<double, uint64_t>(src, n, out, swap);
            } else {
                for (size_t i = 0; i < n; ++i) out[i] = half_to_float(load_bits<uint16_t>(src + 2 * i, swap));
            }
            return;
        case 'i':
            switch (dt.itemsize) {
                case 1: convert_loop<int8_t, uint8_t>(src, n, out, false); return;
                case 2: convert_loop<int16_t, uint16_t>(src, n, out, swap); return;
                case 4: convert_loop<int32_t, uint32_t>(src, n, out, swap); return;
                default: convert_loop<int64_t, uint64_t>(src, n, out, swap); return;
            }
        case 'u':
            switch (dt.itemsize) {
                case 1: convert_loop<uint8_t, uint8_t>(src, n, out, false); return;
                case 2: convert_loop<uint16_t, uint16_t>(src, n, out, swap); return;
                case 4: convert_loop<uint32_t, uint32_t>(src, n, out, swap); return;
                default: convert_loop<uint64_t, uint64_t>(src, n, out, swap); return;
            }
        default:  // bool: any non-zero byte is True
            for (size_t i = 0; i < n; ++i) out[i] = src[i] != std::byte{0} ? 1.0f : 0.0f;
            return;
    }
}

}  // namespace

NpyArray::NpyArray(std::shared_ptr<const Storage> storage, NpyHeader header, std::string source)
    : storage_(std::move(storage)), header_(std::move(header)), source_(std::move(source)) {
    data_ = storage_->bytes().data() + header_.data_offset;
}

Result<NpyArray> NpyArray::open(const std::filesystem::path& path) {
    auto mapped = MappedFile::open(path);
    if (!mapped) return mapped.error();
    auto storage = std::make_shared<Storage>(Storage{std::move(*mapped)});
    auto header = parse_npy_header(storage->bytes(), path.string());
    if (!header) return header.error();
    return NpyArray(std::move(storage), std::move(*header), path.string());
}

Result<NpyArray> NpyArray::from_bytes(std::vector<std::byte> bytes, std::string source) {
    auto storage = std::make_shared<Storage>(Storage{std::move(bytes)});
    auto header = parse_npy_header(storage->bytes(), source);
    if (!header) return header.error();
    return NpyArray(std::move(storage), std::move(*header), std::move(source));
}

float NpyArray::value(int64_t flat_c_index) const {
    float v = std::numeric_limits<float>::quiet_NaN();
    read_range(flat_c_index, std::span<float>(&v, 1));
    return v;
}

void NpyArray::read_contiguous(int64_t first_elem, std::span<float> out) const {
    convert_contiguous(header_.dtype, data_ + static_cast<size_t>(first_elem) * static_cast<size_t>(header_.dtype.itemsize),
                       out.size(), out.data());
}

void NpyArray::read_range(int64_t first, std::span<float> out) const {
    const int64_t n_total = size();
    std::fill(out.begin(), out.end(), std::numeric_limits<float>::quiet_NaN());
    if (first < 0 || first >= n_total) return;
    const auto n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(out.size()), n_total - first));
    const auto& shape = header_.shape;
    if (!header_.fortran_order || shape.size() == 1) {
        read_contiguous(first, out.first(n));
        return;
    }
    // Fortran order: walk the logical C-order multi-index and gather. Runs along the
    // first axis are contiguous in the file, but C order walks the last axis fastest,
    // so each element is one strided read.
    const size_t rank = shape.size();
    std::vector<int64_t> idx(rank), fstride(rank);
    int64_t rem = first;
    for (size_t k = rank; k-- > 0;) {
        idx[k] = rem % shape[k];
        rem /= shape[k];
    }
    int64_t s = 1;
    for (size_t k = 0; k < rank; ++k) {
        fstride[k] = s;
        s *= shape[k];
    }
    for (size_t i = 0; i < n; ++i) {
        int64_t off = 0;
        for (size_t k = 0; k < rank; ++k) off += idx[k] * fstride[k];
        read_contiguous(off, out.subspan(i, 1));
        for (size_t k = rank; k-- > 0;) {
            if (++idx[k] < shape[k]) break;
            idx[k] = 0;
        }
    }
}

bool NpyArray::stored_value_finite(int64_t flat_c_index) const {
    if (header_.dtype.kind != 'f' || header_.dtype.itemsize != 8) return std::isfinite(value(flat_c_index));
    if (flat_c_index < 0 || flat_c_index >= size()) return false;
    int64_t offset = flat_c_index;
    const auto& shape = header_.shape;
    if (header_.fortran_order && shape.size() > 1) {
        // C-order multi-index, then Fortran strides (the first axis varies fastest in the file).
        int64_t rem = flat_c_index, stride = 1;
        std::vector<int64_t> idx(shape.size());
        for (size_t k = shape.size(); k-- > 0;) {
            idx[k] = rem % shape[k];
            rem /= shape[k];
        }
        offset = 0;
        for (size_t k = 0; k < shape.size(); ++k) {
            offset += idx[k] * stride;
            stride *= shape[k];
        }
    }
    const bool swap = header_.dtype.big_endian != (std::endian::native == std::endian::big);
    const auto bits = load_bits<uint64_t>(data_ + static_cast<size_t>(offset) * 8, swap);
    return std::isfinite(std::bit_cast<double>(bits));
}

void NpyArray::release_range(int64_t first, int64_t count) const {
    auto* m = std::get_if<MappedFile>(&storage_->holder);
    if (!m || header_.fortran_order || first < 0 || count <= 0) return;
    const auto item = static_cast<size_t>(header_.dtype.itemsize);
    m->release(header_.data_offset + static_cast<size_t>(first) * item, static_cast<size_t>(count) * item);
}

}  // namespace convscope::data
