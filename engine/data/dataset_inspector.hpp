// One streaming pass over a dataset that reports what would break or quietly
// degrade a Conv1D model: NaN/Inf, ragged lengths, transposed axes, dead
// channels, duplicates, class imbalance, very short sequences.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.hpp"

namespace convscope::data {

struct Finding {
    std::string severity;  // "error", "warning" or "info"
    std::string message;
    std::string fix;       // one line
};

// Which axis holds time. For a stored array the axes are the array's own; for a
// ragged collection they are those of the (sequence, step, channel) view.
struct LayoutGuess {
    int time_axis = 1;
    int channel_axis = 2;  // -1 when there is no channel axis (1-D and 2-D arrays)
    std::string layout = "channels_last";  // or "channels_first"
    std::string reason;
    double confidence = 0.5;  // 0.5 = a coin toss, 1 = certain
};

struct Position {
    int64_t sequence = 0, step = 0, channel = 0;
};

struct ChannelStats {
    std::string name;
    int64_t finite = 0;  // values counted in min/max/mean/std
    // Meaningful only when has_values(): a channel with no finite value has no min,
    // max, mean or std (JSON null, "n/a" in text), rather than a misleading 0.
    double min = 0, max = 0, mean = 0, std = 0;
    int64_t nan_count = 0, inf_count = 0;
    // Finite in the file (float64) but beyond float32's +-3.4e38: infinite once converted,
    // counted here and not in inf_count.
    int64_t out_of_range_count = 0;
    bool has_values() const { return finite > 0; }
    bool constant = false;  // every finite value equal
    bool all_zero = false;
};

struct LengthStats {
    int64_t min = 0, max = 0;
    double median = 0;
    int64_t total_steps = 0;
    // `bins` equal-width bins over [min, max]; counts[k] covers [edges[k], edges[k+1]).
    std::vector<double> edges;
    std::vector<int64_t> counts;
};

struct ClassCount {
    std::string label;
    int64_t count = 0;
};

// Regression targets (labels that are numbers to predict, not classes).
struct TargetStats {
    int64_t count = 0;
    double min = 0, max = 0, mean = 0;
};

struct InspectionReport {
    std::string source, format, dtype;
    std::optional<std::vector<int64_t>> array_shape;
    // Counts, lengths and channel statistics follow the layout guess (sequence_reading.hpp);
    // `array_shape` keeps the stored shape.
    int64_t count = 0;
    int64_t channels = 0;
    std::string read_as;          // "64 sequences of 200 steps x 5 channels"
    bool read_as_stored = true;   // false when the guess reordered the stored axes
    std::string read_as_why;      // when not as stored: how the reading differs ("the stored rows are ...")
    LengthStats lengths;
    std::vector<ChannelStats> channel_stats;
    int64_t nan_count = 0, inf_count = 0, out_of_range_count = 0;
    std::optional<Position> first_nan, first_inf, first_out_of_range;
    std::vector<int64_t> constant_channels, zero_channels;
    int64_t duplicate_count = 0;  // sequences identical to an earlier one
    std::vector<std::pair<int64_t, int64_t>> duplicate_examples;  // (duplicate, original), a few
    std::vector<ClassCount> classes;  // empty for unlabelled data and for regression targets
    std::optional<TargetStats> targets;  // set when the labels are regression targets
    LayoutGuess layout;
    int64_t maxlen = 0;           // longest sequence
    int64_t padded_steps = 0;     // padding steps a batch padded to maxlen needs
    double padding_fraction = 0;  // padded_steps / (count * maxlen)
    std::vector<std::string> notes;  // the loader's remarks
    std::vector<Finding> findings;

    nlohmann::json to_json() const;
    bool has_errors() const;
};

struct InspectOptions {
    int histogram_bins = 20;
};

InspectionReport inspect(const Dataset& dataset, InspectOptions options = {});

// Just the axis guess (cheap: samples a few sequences).
LayoutGuess guess_layout(const Dataset& dataset);
// The guess for a 1-D or 2-D array from its sizes alone (guess_layout uses it for such arrays).
LayoutGuess guess_layout_of_shape(std::span<const int64_t> shape);

}  // namespace convscope::data
