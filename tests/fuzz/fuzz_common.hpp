// What every reader fuzz target does after a successful parse: touch every
// value through the public API and run the inspector and padding over it, so
// a malformed file that parses must still be safe all the way down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.hpp"
#include "data/dataset_inspector.hpp"
#include "data/pad_sequences.hpp"

namespace convscope::fuzz {

inline std::vector<std::byte> to_bytes(const uint8_t* data, size_t size) {
    std::vector<std::byte> b(size);
    for (size_t i = 0; i < size; ++i) b[i] = static_cast<std::byte>(data[i]);
    return b;
}

inline void exercise(const data::Dataset& d) {
    for (int64_t i = 0; i < d.size() && i < 64; ++i) (void)d.sequence(i);
    (void)data::inspect(d);
    // Padding allocates N x maxlen x channels: only for inputs that stay small.
    int64_t longest = 0;
    for (int64_t i = 0; i < d.size(); ++i) longest = std::max(longest, d.length(i));
    if (d.size() * longest * std::max<int64_t>(1, d.channels()) <= (int64_t{1} << 22)) {
        data::PadOptions o;
        o.maxlen = longest > 2 ? longest / 2 : longest;
        o.padding = data::PadSide::Post;
        (void)data::pad_sequences(d, o);
    }
}

}  // namespace convscope::fuzz
