#include "data/dataset_inspector.hpp"

#include "data/sequence_reading.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>

namespace convscope::data {

namespace {

constexpr size_t kChunkValues = 1 << 16;  // values per streaming read (256 kB of floats)
constexpr size_t kMaxExamples = 5;

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}
std::string pct(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * f);
    return buf;
}

// Per-channel running sums, shifted by the channel's first finite value so the
// variance stays accurate for signals with a large offset.
struct ChannelAcc {
    bool have = false;
    double shift = 0, sum = 0, sum_sq = 0;
    float min = 0, max = 0;
    int64_t finite = 0, nan = 0, inf = 0, out_of_range = 0;
};

uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

std::string channel_label(const Dataset& d, int64_t c) {
    const auto& names = d.channel_names();
    std::string s = "channel " + std::to_string(c);
    if (static_cast<size_t>(c) < names.size() && !names[static_cast<size_t>(c)].empty())
        s += " ('" + names[static_cast<size_t>(c)] + "')";
    return s;
}

std::string where(const Dataset& d, const Position& p) {
    std::string s = "sequence " + std::to_string(p.sequence);
    const auto n = d.name(p.sequence);
    if (n != "#" + std::to_string(p.sequence)) s += " ('" + n + "')";
    return s + ", step " + std::to_string(p.step) + ", channel " + std::to_string(p.channel);
}

void length_stats(std::vector<int64_t> lens, int bins, LengthStats& ls) {
    if (lens.empty()) return;
    ls.min = *std::min_element(lens.begin(), lens.end());
    ls.max = *std::max_element(lens.begin(), lens.end());
    for (auto l : lens) ls.total_steps += l;
    std::sort(lens.begin(), lens.end());
    const size_t n = lens.size();
    ls.median = n % 2 ? double(lens[n / 2]) : 0.5 * double(lens[n / 2 - 1] + lens[n / 2]);
    bins = std::max(1, bins);
    if (ls.min == ls.max) bins = 1;
    const double width = ls.min == ls.max ? 1.0 : double(ls.max - ls.min) / bins;
    for (int k = 0; k <= bins; ++k) ls.edges.push_back(double(ls.min) + k * width);
    ls.counts.assign(static_cast<size_t>(bins), 0);
    for (auto l : lens) {
        auto k = static_cast<int64_t>((double(l) - double(ls.min)) / width);
        k = std::clamp<int64_t>(k, 0, bins - 1);  // the maximum falls in the last bin
        ++ls.counts[static_cast<size_t>(k)];
    }
}

void add_findings(const Dataset& d, InspectionReport& r) {
    auto add = [&](std::string sev, std::string msg, std::string fix) {
        r.findings.push_back({std::move(sev), std::move(msg), std::move(fix)});
    };
    if (r.count == 0 || r.lengths.max == 0 || r.channels <= 0) {
        const auto& shape = r.array_shape;
        std::string what = std::to_string(r.count) + " sequence" + (r.count == 1 ? "" : "s");
        if (shape) {
            what = "shape (";
            for (size_t k = 0; k < shape->size(); ++k) what += (k ? ", " : "") + std::to_string((*shape)[k]);
            what += shape->size() == 1 ? ",)" : ")";
        }
        const std::string why = r.count == 0         ? "it has no sequences"
                                : r.channels <= 0    ? "its sequences have no channels (a zero-length channel axis)"
                                                     : "its sequences have no steps (a zero-length time axis)";
        add("error", "The dataset holds no values (" + what + "): " + why,
            "Check that the right file or array was loaded, and the axis that was sliced empty");
        return;
    }
    if (r.nan_count)
        add("error",
            std::to_string(r.nan_count) + " NaN value" + (r.nan_count == 1 ? "" : "s") + ", the first at " +
                where(d, *r.first_nan) + ": one NaN turns every Conv1D output it reaches, and the loss, into NaN",
            "Fill the gaps (interpolate, or np.nan_to_num(x)) or drop the affected sequences before training");
    if (r.inf_count)
        add("error",
            std::to_string(r.inf_count) + " infinite value" + (r.inf_count == 1 ? "" : "s") + ", the first at " +
                where(d, *r.first_inf) + ": they overflow the activations and gradients",
            "Clip or replace them (np.nan_to_num(x, posinf=..., neginf=...)) and check the export for overflow");
    if (r.out_of_range_count)
        add("error",
            std::to_string(r.out_of_range_count) + " value" + (r.out_of_range_count == 1 ? " is" : "s are") +
                " out of float32 range, the first at " + where(d, *r.first_out_of_range) +
                ": finite in the file but beyond +-3.4e38, so they become infinite in float32, which Conv1D layers "
                "compute in",
            "Rescale the data (for example divide by its largest magnitude) or clip it to the float32 range");
    const auto shape = r.array_shape;
    if (r.layout.layout == "channels_first" && r.layout.confidence >= 0.6) {  // see `transposed` below
        const std::string dims = shape && shape->size() == 3
                                     ? std::to_string((*shape)[1]) + " steps of " + std::to_string((*shape)[2]) + " channels"
                                     : std::to_string(r.lengths.max) + " steps of " + std::to_string(r.channels) + " channels";
        add("warning",
            "The axes look transposed: " + r.layout.reason + ". A channels-last Conv1D (Keras) would read " + dims,
            shape ? "For Keras use np.transpose(x, (0, 2, 1)); PyTorch's Conv1d expects (batch, channels, length) as stored"
                  : "Store rows as steps and columns as channels (transpose each file)");
    }
    if (shape && shape->size() == 2 && r.layout.channel_axis == 1) {
        add("warning", "2-D array: " + r.layout.reason,
            "If so, load it as one sequence: x[np.newaxis] gives (1, " + std::to_string((*shape)[0]) + ", " +
                std::to_string((*shape)[1]) + ")");
    } else if (shape && shape->size() < 3) {
        add("info",
            "The array has no channel axis (" + r.layout.reason + "); Conv1D needs 3-D input",
            "Add one: x[..., np.newaxis] for Keras (channels last) or x[:, np.newaxis, :] for PyTorch");
    }
    if (r.lengths.min != r.lengths.max)
        add("warning",
            "Sequence lengths range from " + std::to_string(r.lengths.min) + " to " + std::to_string(r.lengths.max) +
                " steps: they cannot be stacked into one batch without padding (" + pct(r.padding_fraction) +
                " of a batch padded to " + std::to_string(r.maxlen) + " would be padding)",
            "Pad with `convscope-cli pad DATA --out x.npy --mask-out mask.npy` and mask the padding, or bucket by length");
    const bool transposed = r.layout.layout == "channels_first" && r.layout.confidence >= 0.6;
    // When the axes look swapped the "steps" are really channels: the transposition finding says it all.
    if (r.lengths.min > 0 && r.lengths.min < 10 && !transposed)
        add("warning",
            "The shortest sequence has only " + std::to_string(r.lengths.min) +
                " steps: two 'valid' convolutions of kernel 3 and a pool of 2 already shrink 8 steps to 2",
            "Use padding='same', fewer pooling layers, or drop sequences that are too short");
    for (auto c : r.zero_channels)
        add("warning", "The " + channel_label(d, c) + " is all zeros in every sequence (a disconnected sensor?)",
            "Drop the channel or check the recording");
    for (auto c : r.constant_channels) {
        if (std::find(r.zero_channels.begin(), r.zero_channels.end(), c) != r.zero_channels.end()) continue;
        add("warning",
            "The " + channel_label(d, c) + " is constant (" + fmt(r.channel_stats[static_cast<size_t>(c)].min) +
                ") in every sequence: it carries no information and standardising it divides by zero",
            "Drop the channel, or check why it never changes");
    }
    // Scale differences between channels that do vary.
    double lo = INFINITY, hi = 0;
    for (const auto& s : r.channel_stats)
        if (s.finite > 1 && s.std > 0) { lo = std::min(lo, s.std); hi = std::max(hi, s.std); }
    if (hi > 0 && lo < INFINITY && hi / lo >= 100)
        add("info", "Channels differ widely in scale (standard deviation from " + fmt(lo) + " to " + fmt(hi) + ")",
            "Standardise each channel (subtract its mean, divide by its std) before training");
    if (r.duplicate_count) {
        const auto& ex = r.duplicate_examples.front();
        add("warning",
            std::to_string(r.duplicate_count) + " sequence" + (r.duplicate_count == 1 ? " is an exact duplicate" : "s are exact duplicates") +
                " of an earlier one (e.g. " + d.name(ex.first) + " equals " + d.name(ex.second) +
                "): duplicates split across training and test sets inflate the score",
            "Deduplicate before splitting into training and test sets");
    }
    if (!r.classes.empty()) {
        const auto [mn, mx] = std::minmax_element(r.classes.begin(), r.classes.end(),
                                                  [](const ClassCount& a, const ClassCount& b) { return a.count < b.count; });
        if (r.classes.size() == 1)
            add("warning", "Every sequence has the same label '" + r.classes.front().label + "'",
                "A classifier needs examples of at least two classes");
        else if (double(mx->count) >= 5.0 * double(mn->count))
            add("warning",
                "Heavy class imbalance: '" + mx->label + "' has " + std::to_string(mx->count) + " sequences, '" +
                    mn->label + "' only " + std::to_string(mn->count) + ": a model can score well by ignoring the rare class",
                "Use class weights or resampling, and report per-class metrics");
    }
}

}  // namespace

InspectionReport inspect(const Dataset& d, InspectOptions options) {
    InspectionReport r;
    r.source = d.source();
    r.format = d.format();
    r.dtype = d.dtype();
    r.array_shape = d.array_shape();
    r.notes = d.notes();
    // Counts, lengths and per-channel statistics follow the layout guess, so the report
    // never contradicts itself (a (64, 5, 200) array guessed channels_first has 5 channels).
    r.layout = guess_layout(d);
    const SequenceReading reading = read_dataset(d, r.layout);
    r.read_as = reading.summary();
    r.read_as_stored = !reading.steps_are_channels && !reading.sequences_are_steps;
    if (reading.sequences_are_steps) r.read_as_why = "the stored rows are the steps of one recording";
    else if (reading.steps_are_channels) r.read_as_why = "the stored channel and length axes are swapped";
    r.count = reading.sequences;
    r.channels = reading.channels;
    length_stats(reading.lengths(d), options.histogram_bins, r.lengths);
    r.maxlen = r.lengths.max;
    r.padded_steps = r.count * r.maxlen - r.lengths.total_steps;
    r.padding_fraction = r.count && r.maxlen ? double(r.padded_steps) / (double(r.count) * double(r.maxlen)) : 0.0;

    // The loop walks the Dataset as stored ([row][column] per sequence); `reading.map` says
    // which sequence, step and channel of the reading each value is.
    const int64_t c = std::max<int64_t>(0, d.channels());
    std::vector<ChannelAcc> acc(static_cast<size_t>(std::max<int64_t>(0, r.channels)));
    std::unordered_map<uint64_t, int64_t> seen;  // content hash -> first sequence
    const int64_t chunk_steps = c ? std::max<int64_t>(1, static_cast<int64_t>(kChunkValues) / c) : 1;
    std::vector<float> buf;
    std::map<std::string, int64_t> labels;
    // Streaming over a mapped array: hand pages back in large batches, well
    // behind the read position, so the resident set stays a few MB.
    const bool rectangular = r.array_shape.has_value();
    constexpr int64_t kReleaseBatch = int64_t{1} << 22;  // values (16 MB of float32)
    constexpr int64_t kReleaseLag = int64_t{1} << 18;    // values (1 MB): beyond fault-around
    int64_t released = 0;

    for (int64_t i = 0; i < d.size() && c > 0 && !acc.empty(); ++i) {
        const int64_t len = d.length(i);
        uint64_t h = mix(0x1234567ULL, static_cast<uint64_t>(len));
        for (int64_t t0 = 0; t0 < len; t0 += chunk_steps) {
            const int64_t n = std::min(chunk_steps, len - t0);
            buf.resize(static_cast<size_t>(n * c));
            d.read_steps(i, t0, buf);
            const float* p = buf.data();
            for (int64_t t = 0; t < n; ++t) {
                for (int64_t ch = 0; ch < c; ++ch) {
                    const float x = *p++;
                    int64_t seq_at = i, step_at = t0 + t, channel_at = ch;
                    reading.map(seq_at, step_at, channel_at);
                    auto& a = acc[static_cast<size_t>(channel_at)];
                    const Position here{seq_at, step_at, channel_at};
                    if (std::isfinite(x)) {
                        if (!a.have) {
                            a.have = true;
                            a.shift = x;
                            a.min = a.max = x;
                        }
                        const double dx = double(x) - a.shift;
                        a.sum += dx;
                        a.sum_sq += dx * dx;
                        a.min = std::min(a.min, x);
                        a.max = std::max(a.max, x);
                        ++a.finite;
                        h = mix(h, std::bit_cast<uint32_t>(x == 0.0f ? 0.0f : x));  // -0 equals 0
                    } else if (std::isnan(x)) {
                        if (a.nan++ == 0 && !r.first_nan) r.first_nan = here;
                        h = mix(h, 0x7fc00000u);  // every NaN hashes alike
                    } else if (d.stored_value_finite(i, t0 + t, ch)) {
                        // 1e308 in a float64 file: not infinite data, a value float32 cannot hold.
                        if (a.out_of_range++ == 0 && !r.first_out_of_range) r.first_out_of_range = here;
                        h = mix(h, std::bit_cast<uint32_t>(x));
                    } else {
                        if (a.inf++ == 0 && !r.first_inf) r.first_inf = here;
                        h = mix(h, std::bit_cast<uint32_t>(x));
                    }
                }
            }
            if (rectangular) {
                const int64_t pos = (i * len + t0 + n) * c;
                if (pos - released >= kReleaseBatch + kReleaseLag) {
                    d.release_values(released, pos - kReleaseLag - released);
                    released = pos - kReleaseLag;
                }
            }
        }
        // One recording read from a 2-D array has no sequences to compare (its rows are steps).
        auto [it, fresh] = reading.sequences_are_steps ? std::pair{seen.end(), true} : seen.emplace(h, i);
        if (!fresh) {
            ++r.duplicate_count;
            if (r.duplicate_examples.size() < kMaxExamples) r.duplicate_examples.emplace_back(i, it->second);
        }
        if (auto l = d.label(i)) ++labels[*l];
    }
    if (d.labels_are_targets()) {
        // Numbers to predict: their range matters, class counts would be one "class" per distinct value.
        TargetStats t;
        double sum = 0;
        for (const auto& [label, n] : labels) {
            const double v = std::strtod(label.c_str(), nullptr);
            t.min = t.count ? std::min(t.min, v) : v;
            t.max = t.count ? std::max(t.max, v) : v;
            t.count += n;
            sum += v * double(n);
        }
        if (t.count) t.mean = sum / double(t.count);
        r.targets = t;
    } else {
        for (auto& [label, n] : labels) r.classes.push_back({label, n});
    }

    for (int64_t ch = 0; ch < static_cast<int64_t>(acc.size()); ++ch) {
        const auto& a = acc[static_cast<size_t>(ch)];
        ChannelStats s;
        s.name = static_cast<size_t>(ch) < d.channel_names().size() ? d.channel_names()[static_cast<size_t>(ch)] : "";
        s.finite = a.finite;
        s.nan_count = a.nan;
        s.inf_count = a.inf;
        s.out_of_range_count = a.out_of_range;
        r.nan_count += a.nan;
        r.inf_count += a.inf;
        r.out_of_range_count += a.out_of_range;
        if (a.finite) {
            const double m = a.sum / double(a.finite);
            s.mean = a.shift + m;
            s.std = std::sqrt(std::max(0.0, a.sum_sq / double(a.finite) - m * m));
            s.min = a.min;
            s.max = a.max;
            s.constant = a.min == a.max;
            s.all_zero = s.constant && a.min == 0.0f;
            // A single step is trivially constant: only flag channels seen over time.
            if (s.constant && a.finite > 1) r.constant_channels.push_back(ch);
            if (s.all_zero && a.finite > 1) r.zero_channels.push_back(ch);
        }
        r.channel_stats.push_back(std::move(s));
    }
    add_findings(d, r);
    return r;
}

bool InspectionReport::has_errors() const {
    return std::any_of(findings.begin(), findings.end(), [](const Finding& f) { return f.severity == "error"; });
}

nlohmann::json InspectionReport::to_json() const {
    using nlohmann::json;
    auto pos = [](const std::optional<Position>& p) -> json {
        if (!p) return nullptr;
        return {{"sequence", p->sequence}, {"step", p->step}, {"channel", p->channel}};
    };
    json j;
    j["source"] = source;
    j["format"] = format;
    j["dtype"] = dtype;
    j["shape"] = array_shape ? json(*array_shape) : json(nullptr);
    j["count"] = count;
    j["read_as"] = {{"summary", read_as}, {"as_stored", read_as_stored}, {"layout", layout.layout}};
    if (!read_as_stored) j["read_as"]["why"] = read_as_why;
    j["channels"] = channels;
    j["lengths"] = {{"min", lengths.min}, {"max", lengths.max}, {"median", lengths.median},
                    {"total_steps", lengths.total_steps},
                    {"histogram", {{"edges", lengths.edges}, {"counts", lengths.counts}}}};
    json chans = json::array();
    auto stat = [](const ChannelStats& s, double v) -> json { return s.has_values() ? json(v) : json(nullptr); };
    for (const auto& s : channel_stats)
        chans.push_back({{"name", s.name}, {"min", stat(s, s.min)}, {"max", stat(s, s.max)},
                         {"mean", stat(s, s.mean)}, {"std", stat(s, s.std)}, {"finite", s.finite},
                         {"nan_count", s.nan_count}, {"inf_count", s.inf_count},
                         {"out_of_range_count", s.out_of_range_count}, {"constant", s.constant},
                         {"all_zero", s.all_zero}});
    j["channel_stats"] = chans;
    j["nan_count"] = nan_count;
    j["inf_count"] = inf_count;
    j["first_nan"] = pos(first_nan);
    j["first_inf"] = pos(first_inf);
    j["out_of_range_count"] = out_of_range_count;
    j["first_out_of_range"] = pos(first_out_of_range);
    j["constant_channels"] = constant_channels;
    j["zero_channels"] = zero_channels;
    j["duplicate_count"] = duplicate_count;
    json classes_j = json::array();
    for (const auto& c : classes) classes_j.push_back({{"label", c.label}, {"count", c.count}});
    j["classes"] = classes_j;
    j["targets"] = targets ? json{{"count", targets->count}, {"min", targets->min}, {"max", targets->max},
                                  {"mean", targets->mean}}
                           : json(nullptr);
    j["time_axis_guess"] = {{"time_axis", layout.time_axis}, {"channel_axis", layout.channel_axis},
                            {"layout", layout.layout}, {"reason", layout.reason}, {"confidence", layout.confidence}};
    j["padding"] = {{"maxlen", maxlen}, {"padded_steps", padded_steps}, {"padding_fraction", padding_fraction}};
    j["notes"] = notes;
    json f = json::array();
    for (const auto& x : findings) f.push_back({{"severity", x.severity}, {"message", x.message}, {"fix", x.fix}});
    j["findings"] = f;
    return j;
}

}  // namespace convscope::data
