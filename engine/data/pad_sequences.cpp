#include "data/pad_sequences.hpp"

#include <algorithm>

namespace convscope::data {

std::optional<PadSide> parse_pad_side(std::string_view s) {
    if (s == "pre") return PadSide::Pre;
    if (s == "post") return PadSide::Post;
    return std::nullopt;
}

std::string_view to_string(PadSide s) { return s == PadSide::Pre ? "pre" : "post"; }

PaddedBatch pad_sequences(const Dataset& d, PadOptions o) {
    PaddedBatch b;
    const int64_t n = d.size();
    const int64_t c = std::max<int64_t>(1, d.channels());
    int64_t longest = 0;
    for (int64_t i = 0; i < n; ++i) {
        b.lengths.push_back(d.length(i));
        longest = std::max(longest, d.length(i));
    }
    const int64_t maxlen = std::max<int64_t>(0, o.maxlen.value_or(longest));
    b.maxlen = maxlen;
    const auto stored = d.array_shape();
    const bool three_d = c > 1 || (stored && stored->size() == 3);
    b.shape = three_d ? std::vector<int64_t>{n, maxlen, c} : std::vector<int64_t>{n, maxlen};
    b.values.assign(static_cast<size_t>(n * maxlen * c), o.value);
    b.mask.assign(static_cast<size_t>(n * maxlen), 0);
    if (maxlen == 0) return b;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t len = b.lengths[static_cast<size_t>(i)];
        if (len == 0) continue;  // Keras leaves empty sequences as all padding
        const int64_t keep = std::min(len, maxlen);
        if (keep < len) ++b.truncated_sequences;
        // Truncating "pre" drops the oldest steps (keeps the last maxlen).
        const int64_t src_first = o.truncating == PadSide::Pre ? len - keep : 0;
        // Padding "pre" puts the padding before the data.
        const int64_t dst_first = o.padding == PadSide::Pre ? maxlen - keep : 0;
        float* out = b.values.data() + (i * maxlen + dst_first) * c;
        d.read_steps(i, src_first, std::span<float>(out, static_cast<size_t>(keep * c)));
        std::fill_n(b.mask.begin() + i * maxlen + dst_first, keep, uint8_t{1});
    }
    return b;
}

}  // namespace convscope::data
