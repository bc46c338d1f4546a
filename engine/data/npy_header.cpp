#include "data/npy_header.hpp"

#include <cctype>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

namespace convscope::data {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kMaxHeaderLen = 1 << 20;
constexpr int64_t kMaxEmptyExtent = int64_t{1} << 24;  // numpy itself refuses headers above 10 kB by default

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

// A tiny parser for the one dict literal numpy writes; positions are byte offsets in the file.
class DictParser {
public:
    DictParser(std::string_view text, size_t base, const std::string& source)
        : t_(text), base_(base), source_(source) {}

    Result<NpyHeader> parse() {
        NpyHeader h;
        bool have_descr = false, have_order = false, have_shape = false;
        skip_ws();
        if (!eat('{')) return fail("'{' opening the header dict");
        for (int guard = 0; guard < 64; ++guard) {
            skip_ws();
            if (eat('}')) break;
            auto key = parse_string();
            if (!key) return fail("a quoted key ('descr', 'fortran_order' or 'shape')");
            skip_ws();
            if (!eat(':')) return fail("':' after key '" + *key + "'");
            skip_ws();
            if (*key == "descr") {
                if (peek() == '[') return err_at("structured dtypes (a list in 'descr') are not supported; save a plain numeric array");
                auto d = parse_string();
                if (!d) return fail("a quoted dtype such as '<f4' for 'descr'");
                h.descr = *d;
                have_descr = true;
            } else if (*key == "fortran_order") {
                if (match("True")) h.fortran_order = true;
                else if (match("False")) h.fortran_order = false;
                else return fail("True or False for 'fortran_order'");
                have_order = true;
            } else if (*key == "shape") {
                if (!eat('(')) return fail("a tuple such as (32, 100) for 'shape'");
                for (int dims = 0;; ++dims) {
                    skip_ws();
                    if (eat(')')) break;
                    if (dims >= 32) return fail("at most 32 dimensions in 'shape'");
                    auto n = parse_int();
                    if (!n) return fail("a non-negative integer in 'shape'");
                    h.shape.push_back(*n);
                    skip_ws();
                    if (eat(',')) continue;
                    if (eat(')')) break;
                    return fail("',' or ')' in 'shape'");
                }
                have_shape = true;
            } else {
                return err_at("unknown header key '" + *key + "'; expected 'descr', 'fortran_order' or 'shape'");
            }
            skip_ws();
            if (eat(',')) continue;
            if (eat('}')) break;
            return fail("',' or '}' after the value of '" + *key + "'");
        }
        if (!have_descr) return make_error(source_ + ": header has no 'descr' (dtype) entry");
        if (!have_order) return make_error(source_ + ": header has no 'fortran_order' entry");
        if (!have_shape) return make_error(source_ + ": header has no 'shape' entry");
        return h;
    }

private:
    char peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    bool match(std::string_view word) {
        if (t_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    void skip_ws() {
        while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_]))) ++pos_;
    }
    std::optional<std::string> parse_string() {
        const char q = peek();
        if (q != '\'' && q != '"') return std::nullopt;
        const size_t end = t_.find(q, pos_ + 1);
        if (end == std::string_view::npos) return std::nullopt;
        std::string s(t_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
        return s;
    }
    std::optional<int64_t> parse_int() {
        int64_t v = 0;
        size_t start = pos_;
        while (pos_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[pos_]))) {
            if (v > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
            v = v * 10 + (t_[pos_] - '0');
            ++pos_;
        }
        if (pos_ == start) return std::nullopt;
        if (peek() == 'L') ++pos_;  // Python 2 long suffix, still found in old files
        return v;
    }
    Error err_at(const std::string& what) const {
        return make_error(source_ + ": byte " + std::to_string(base_ + pos_) + " of the .npy header: " + what);
    }
    Error fail(const std::string& expected) const {
        std::string found = pos_ < t_.size() ? "'" + std::string(t_.substr(pos_, 12)) + "'" : "the end of the header";
        return err_at("expected " + expected + ", found " + found);
    }

    std::string_view t_;
    size_t pos_ = 0;
    size_t base_;
    const std::string& source_;
};

}  // namespace

std::string NpyDtype::name() const {
    const std::string bits = std::to_string(itemsize * 8);
    switch (kind) {
        case 'f': return "float" + bits;
        case 'i': return "int" + bits;
        case 'u': return "uint" + bits;
        case 'b': return "bool";
    }
    return "unknown";
}

Result<NpyDtype> parse_npy_descr(const std::string& descr, const std::string& where) {
    const auto bad = [&](const std::string& why) {
        return make_error(where + ": unsupported dtype '" + descr + "' (" + why +
                          "); expected one of f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 with byte order < > | or =");
    };
    if (descr.size() != 3) return bad("not a plain numeric dtype");
    NpyDtype d;
    const char order = descr[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') return bad("unknown byte order");
    d.big_endian = order == '>';
    d.kind = descr[1];
    if (!std::isdigit(static_cast<unsigned char>(descr[2]))) return bad("size is not a digit");
    d.itemsize = descr[2] - '0';
    const bool ok = (d.kind == 'f' && (d.itemsize == 2 || d.itemsize == 4 || d.itemsize == 8)) ||
                    ((d.kind == 'i' || d.kind == 'u') &&
                     (d.itemsize == 1 || d.itemsize == 2 || d.itemsize == 4 || d.itemsize == 8)) ||
                    (d.kind == 'b' && d.itemsize == 1);
    if (!ok) return bad(d.kind == 'c' ? "complex numbers" : d.kind == 'U' || d.kind == 'S' ? "strings" : "kind/size");
    if (d.itemsize == 1) d.big_endian = false;
    return d;
}

Result<NpyHeader> parse_npy_header(std::span<const std::byte> bytes, const std::string& source,
                                   std::optional<uint64_t> total_size) {
    if (bytes.size() < kMagicLen + 4 || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0)
        return make_error(source + ": not a .npy file (byte 0: expected the magic string \\x93NUMPY)");
    const auto u8 = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
    const int major = static_cast<int>(u8(6));
    size_t header_len = 0, header_start = 0;
    if (major == 1) {
        header_len = u8(8) | (u8(9) << 8);
        header_start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) return make_error(source + ": truncated .npy header (byte 8: expected a 4-byte header length)");
        header_len = u8(8) | (u8(9) << 8) | (u8(10) << 16) | (static_cast<size_t>(u8(11)) << 24);
        header_start = 12;
    } else {
        return make_error(source + ": byte 6: unsupported .npy format version " + std::to_string(major) +
                          " (expected 1, 2 or 3)");
    }
    if (header_len > kMaxHeaderLen || header_start + header_len > bytes.size())
        return make_error(source + ": byte 8: header length " +
                          std::to_string(header_len) + " runs past the end of the file (" +
                          std::to_string(bytes.size()) + " bytes)");
    std::string_view text(reinterpret_cast<const char*>(bytes.data()) + header_start, header_len);
    auto parsed = DictParser(text, header_start, source).parse();
    if (!parsed) return parsed.error();
    NpyHeader h = std::move(*parsed);
    h.version_major = major;
    h.data_offset = header_start + header_len;
    auto dt = parse_npy_descr(h.descr, source);
    if (!dt) return dt.error();
    h.dtype = *dt;

    if (h.shape.empty())
        return make_error(source + ": shape () is a single number, not a sequence; expected 1 to 3 dimensions");
    if (h.shape.size() > 3)
        return make_error(source + ": shape " + shape_text(h.shape) + " has " + std::to_string(h.shape.size()) +
                          " dimensions; expected 1 (length), 2 (sequences, length) or 3 (sequences, steps, channels)");
    // Check the declared size against the bytes present before anyone allocates for it.
    const uint64_t total = total_size.value_or(bytes.size());
    const size_t available = total > h.data_offset ? static_cast<size_t>(total - h.data_offset) : 0;
    const auto limit = static_cast<int64_t>(available / static_cast<size_t>(h.dtype.itemsize));
    int64_t count = 1;
    bool too_big = false;
    for (int64_t d : h.shape) {
        if (d == 0) { count = 0; too_big = false; break; }
        if (count > limit / d) too_big = true;
        else count *= d;
    }
    if (too_big || count > limit)
        return make_error(source + ": header declares shape " + shape_text(h.shape) + " of " + h.dtype.name() +
                          " but only " + std::to_string(available) + " bytes follow the header at byte " +
                          std::to_string(h.data_offset) + " (the file is truncated or the header is wrong)");
    if (count == 0) {
        // An empty array still tells us N sequences of L steps; a damaged header
        // could claim 10^12 of them over no bytes, so keep that plausible too.
        int64_t outer = 1;
        for (int64_t d : h.shape) {
            if (d == 0) continue;
            if (d > kMaxEmptyExtent || outer > kMaxEmptyExtent / d)
                return make_error(source + ": header declares the empty shape " + shape_text(h.shape) +
                                  ", which is implausibly large (more than " + std::to_string(kMaxEmptyExtent) +
                                  " sequences x steps over no data)");
            outer *= d;
        }
    }
    h.element_count = count;
    return h;
}

}  // namespace convscope::data
