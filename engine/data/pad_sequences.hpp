// Padding and truncation with exactly the semantics of Keras'
// keras.preprocessing.sequence.pad_sequences, plus the mask of real steps.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

enum class PadSide { Pre, Post };  // Keras' "pre" (default) and "post"

std::optional<PadSide> parse_pad_side(std::string_view s);  // "pre" / "post"
std::string_view to_string(PadSide s);

struct PadOptions {
    std::optional<int64_t> maxlen;  // default: the longest sequence
    PadSide padding = PadSide::Pre;
    PadSide truncating = PadSide::Pre;
    float value = 0.0f;
};

struct PaddedBatch {
    // (N, maxlen) when every sequence has one channel (unless the source was a
    // 3-D array), else (N, maxlen, channels).
    std::vector<int64_t> shape;
    std::vector<float> values;   // C order
    std::vector<uint8_t> mask;   // (N, maxlen): 1 where a real step landed
    std::vector<int64_t> lengths;  // original lengths, before truncation
    int64_t maxlen = 0;
    int64_t truncated_sequences = 0;  // how many lost steps to maxlen
};

// maxlen <= 0 gives an (N, 0) batch, as Keras does with truncating="post".
PaddedBatch pad_sequences(const Dataset& dataset, PadOptions options = {});

}  // namespace convscope::data
