#include "data/sequence_reading.hpp"

#include <algorithm>

namespace convscope::data {

namespace {

std::string plural(int64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string SequenceReading::summary() const {
    return plural(sequences, "sequence") + " of " + plural(steps, "step") + " x " + plural(channels, "channel");
}

std::vector<int64_t> SequenceReading::lengths(const Dataset& dataset) const {
    if (sequences_are_steps || steps_are_channels) return std::vector<int64_t>(static_cast<size_t>(sequences), steps);
    std::vector<int64_t> out(static_cast<size_t>(dataset.size()));
    for (int64_t i = 0; i < dataset.size(); ++i) out[static_cast<size_t>(i)] = dataset.length(i);
    return out;
}

void SequenceReading::map(int64_t& sequence, int64_t& step, int64_t& channel) const {
    if (steps_are_channels) {
        std::swap(step, channel);
    } else if (sequences_are_steps) {
        channel = step;
        step = sequence;
        sequence = 0;
    }
}

SequenceReading read_array_shape(std::span<const int64_t> shape, const LayoutGuess& guess) {
    SequenceReading r;
    r.layout = guess.layout;
    switch (shape.size()) {
        case 1:  // (L): one univariate recording
            r.sequences = 1;
            r.steps = shape[0];
            r.channels = 1;
            break;
        case 2:
            if (guess.time_axis == 0) {  // (L, C): one recording with C channels
                r.sequences = 1;
                r.steps = shape[0];
                r.channels = shape[1];
                r.sequences_are_steps = true;
            } else {  // (N, L): N univariate sequences
                r.sequences = shape[0];
                r.steps = shape[1];
                r.channels = 1;
            }
            break;
        case 3:
            r.sequences = shape[0];
            r.steps_are_channels = guess.time_axis == 2;
            r.steps = r.steps_are_channels ? shape[2] : shape[1];
            r.channels = r.steps_are_channels ? shape[1] : shape[2];
            break;
        default: break;
    }
    return r;
}

SequenceReading read_array_shape(std::span<const int64_t> shape) {
    return read_array_shape(shape, guess_layout_of_shape(shape));
}

SequenceReading read_dataset(const Dataset& d, const LayoutGuess& guess) {
    if (auto shape = d.array_shape()) return read_array_shape(*shape, guess);
    SequenceReading r;
    r.layout = "channels_last";
    r.sequences = d.size();
    r.channels = d.channels();
    for (int64_t i = 0; i < d.size(); ++i) r.steps = std::max(r.steps, d.length(i));
    return r;
}

}  // namespace convscope::data
