// A tensor shape: batch first, any dimension may be unknown (kAnyDim, shown as None).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "common/checked_math.hpp"

namespace convscope {

inline constexpr int64_t kAnyDim = -1;

struct Shape {
    std::vector<int64_t> dims;

    Shape() = default;
    Shape(std::initializer_list<int64_t> d) : dims(d) {}
    explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}

    int64_t rank() const { return static_cast<int64_t>(dims.size()); }
    int64_t operator[](int64_t axis) const { return dims[static_cast<size_t>(axis)]; }
    int64_t& operator[](int64_t axis) { return dims[static_cast<size_t>(axis)]; }
    bool fully_known() const;
    // Product of all dims; kAnyDim when any is unknown. Throws std::overflow_error
    // past 64 bits: callers hold shapes the trace accepted (see checked_element_count).
    int64_t element_count() const;
    // Product of the known dims (an unknown one counts as 1), overflow-aware: how the
    // engine checks a shape built from user input before anything relies on it.
    CheckedInt checked_element_count() const;
    // "(32, 100, 5)", unknown dims as "None" the way Keras prints them.
    std::string to_string() const;
    bool operator==(const Shape&) const = default;
};

}  // namespace convscope
