// One flag per (sequence, step): which steps are real (a mask) or which outputs
// padding reached (a contamination map).
#pragma once

#include <cstdint>
#include <vector>

namespace convscope {

struct StepMask {
    int64_t batch = 0;
    int64_t length = 0;
    std::vector<uint8_t> flags;  // row-major [batch][length]

    StepMask() = default;
    StepMask(int64_t b, int64_t l, uint8_t fill = 0)
        : batch(b), length(l), flags(static_cast<size_t>(b * l), fill) {}

    uint8_t& at(int64_t b, int64_t t) { return flags[static_cast<size_t>(b * length + t)]; }
    uint8_t at(int64_t b, int64_t t) const { return flags[static_cast<size_t>(b * length + t)]; }
    bool any() const {
        for (auto f : flags)
            if (f) return true;
        return false;
    }
    int64_t count() const {
        int64_t n = 0;
        for (auto f : flags) n += f != 0;
        return n;
    }
    bool operator==(const StepMask&) const = default;
};

}  // namespace convscope
