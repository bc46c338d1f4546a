// How stored values are read as sequences of steps of channels: the layout guess
// applied. The one rule the data panel, the inspector and the trace share, so
// they never count the same file differently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "data/dataset_inspector.hpp"

namespace convscope::data {

struct SequenceReading {
    int64_t sequences = 0;
    int64_t steps = 0;     // the longest sequence's steps
    int64_t channels = 0;
    // Where the Dataset's (row, column) of one stored sequence go in this reading.
    // A 3-D array guessed channels_first, stored (N, C, L): the Dataset's steps are channels.
    bool steps_are_channels = false;
    // A 2-D array guessed (L, C), one recording: the Dataset's sequences are steps.
    bool sequences_are_steps = false;
    std::string layout;    // "channels_last" or "channels_first": how the stored axes were read
    // "1 sequence of 108000 steps x 1 channel"
    std::string summary() const;
    // Lengths of every sequence in this reading (the Dataset's own for collections).
    std::vector<int64_t> lengths(const Dataset& dataset) const;
    // A value the Dataset holds at (sequence, step, channel) in this reading's coordinates.
    void map(int64_t& sequence, int64_t& step, int64_t& channel) const;
};

// The reading of a stored array of this shape under `guess` (guess_layout's result).
SequenceReading read_array_shape(std::span<const int64_t> stored_shape, const LayoutGuess& guess);
// The reading of a 1-D or 2-D shape from its sizes alone (what guess_layout says for such arrays).
SequenceReading read_array_shape(std::span<const int64_t> stored_shape);
// The reading of a dataset: arrays through the layout guess, collections as loaded.
SequenceReading read_dataset(const Dataset& dataset, const LayoutGuess& guess);

}  // namespace convscope::data
