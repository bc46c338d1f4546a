// Integer arithmetic on sizes that come from users and files: every operation
// reports overflow instead of wrapping, so an impossible shape is an error, not
// a wrong number. (kernels/integer_math.hpp holds the floor/ceil division of
// already-checked geometry.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace convscope {

// An int64 that remembers overflow: once any step overflows, ok() stays false.
// `approx` follows the exact value in floating point, for messages ("about 1e+24").
class CheckedInt {
public:
    constexpr CheckedInt(int64_t v = 0) : value_(v), approx_(static_cast<double>(v)) {}

    constexpr bool ok() const { return ok_; }
    // Only meaningful when ok().
    constexpr int64_t value() const { return value_; }
    constexpr double approx() const { return approx_; }
    // ok() and within [lo, hi].
    constexpr bool within(int64_t lo, int64_t hi) const { return ok_ && value_ >= lo && value_ <= hi; }
    // The exact value, or "about 1.2e+24" once it has overflowed.
    std::string text() const;

    friend constexpr CheckedInt operator+(CheckedInt a, CheckedInt b) {
        CheckedInt r;
        r.ok_ = a.ok_ && b.ok_ && !__builtin_add_overflow(a.value_, b.value_, &r.value_);
        r.approx_ = a.approx_ + b.approx_;
        return r;
    }
    friend constexpr CheckedInt operator-(CheckedInt a, CheckedInt b) {
        CheckedInt r;
        r.ok_ = a.ok_ && b.ok_ && !__builtin_sub_overflow(a.value_, b.value_, &r.value_);
        r.approx_ = a.approx_ - b.approx_;
        return r;
    }
    friend constexpr CheckedInt operator*(CheckedInt a, CheckedInt b) {
        CheckedInt r;
        r.ok_ = a.ok_ && b.ok_ && !__builtin_mul_overflow(a.value_, b.value_, &r.value_);
        r.approx_ = a.approx_ * b.approx_;
        return r;
    }
    CheckedInt& operator+=(CheckedInt b) { return *this = *this + b; }
    CheckedInt& operator*=(CheckedInt b) { return *this = *this * b; }

private:
    int64_t value_ = 0;
    double approx_ = 0;
    bool ok_ = true;
};

// a * b and a + b, nullopt on overflow.
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}
inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
    int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}
// The same for byte counts and multiply-adds, which are unsigned.
inline std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}
inline std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

}  // namespace convscope
