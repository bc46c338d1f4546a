// Guessing which axis is time. Two kinds of evidence: sizes (channels are
// usually few, steps many) and smoothness (a signal changes less from one step
// to the next than from one channel to another).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "data/dataset_inspector.hpp"

namespace convscope::data {

namespace {

std::string three_digits(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

// Mean |difference| between neighbours along steps and along channels, over a
// few evenly spaced sequences. nullopt when there is too little to compare.
struct Smoothness {
    double along_steps = 0, along_channels = 0;
};

std::optional<Smoothness> smoothness(const Dataset& d) {
    const int64_t c = d.channels();
    if (c < 2 || d.size() == 0) return std::nullopt;
    double ds = 0, dc = 0;
    int64_t ns = 0, nc = 0;
    const int64_t samples = std::min<int64_t>(d.size(), 32);
    std::vector<float> buf;
    for (int64_t k = 0; k < samples; ++k) {
        const int64_t i = k * d.size() / samples;
        const int64_t len = std::min<int64_t>(d.length(i), std::max<int64_t>(2, (1 << 20) / c));  // bounded work
        if (len < 2) continue;
        buf.resize(static_cast<size_t>(len * c));
        d.read_steps(i, 0, buf);
        for (int64_t t = 0; t < len; ++t)
            for (int64_t ch = 0; ch < c; ++ch) {
                const float x = buf[static_cast<size_t>(t * c + ch)];
                if (t + 1 < len) {
                    const double e = std::abs(double(buf[static_cast<size_t>((t + 1) * c + ch)]) - x);
                    if (std::isfinite(e)) { ds += e; ++ns; }
                }
                if (ch + 1 < c) {
                    const double e = std::abs(double(buf[static_cast<size_t>(t * c + ch + 1)]) - x);
                    if (std::isfinite(e)) { dc += e; ++nc; }
                }
            }
    }
    if (ns == 0 || nc == 0) return std::nullopt;
    return Smoothness{ds / double(ns), dc / double(nc)};
}

}  // namespace

LayoutGuess guess_layout_of_shape(std::span<const int64_t> shape) {
    LayoutGuess g;
    if (shape.size() == 1) {
        g.time_axis = 0;
        g.channel_axis = -1;
        g.confidence = 1.0;
        g.reason = "a 1-D array of " + std::to_string(shape[0]) + " values is one univariate sequence";
        return g;
    }
    if (shape.size() == 2) {
        g.time_axis = 1;
        g.channel_axis = -1;
        const int64_t n = shape[0], l = shape[1];
        if (l <= 8 && n >= 10 * l) {
            g.time_axis = 0;
            g.channel_axis = 1;
            g.confidence = 0.7;
            g.reason = "axis 0 has " + std::to_string(n) + " entries and axis 1 has " + std::to_string(l) +
                       ": this looks like one recording of " + std::to_string(n) + " steps with " + std::to_string(l) +
                       " channels, not " + std::to_string(n) + " sequences of " + std::to_string(l) + " steps";
        } else {
            g.confidence = 0.8;
            g.reason = "a 2-D array (" + std::to_string(n) + ", " + std::to_string(l) + ") reads as " +
                       std::to_string(n) + " univariate sequences of " + std::to_string(l) + " steps";
        }
        return g;
    }
    g.reason = "a " + std::to_string(shape.size()) + "-D shape: read as (batch, length, channels) as stored";
    return g;
}

LayoutGuess guess_layout(const Dataset& d) {
    LayoutGuess g;
    const auto shape = d.array_shape();
    if (shape && shape->size() <= 2) return guess_layout_of_shape(*shape);

    // 3-D arrays and ragged collections: the (sequence, step, channel) view as loaded.
    const int64_t steps = shape ? (*shape)[1] : [&] {
        std::vector<int64_t> ls;
        for (int64_t i = 0; i < d.size(); ++i) ls.push_back(d.length(i));
        if (ls.empty()) return int64_t{0};
        std::nth_element(ls.begin(), ls.begin() + static_cast<std::ptrdiff_t>(ls.size() / 2), ls.end());
        return ls[ls.size() / 2];
    }();
    const int64_t chans = d.channels();
    const std::string a1 = shape ? "axis 1 has " + std::to_string(steps) + " entries"
                                 : "sequences have " + std::to_string(steps) + " steps (median)";
    const std::string a2 = shape ? "axis 2 has " + std::to_string(chans) : std::to_string(chans) + " channels";

    // Size evidence: +1 channels last, -1 channels first, 0 none; strong when clear-cut.
    int size_vote = 0;
    bool size_strong = false;
    if (steps > chans) {
        size_vote = 1;
        size_strong = chans <= 64 && steps >= 2 * chans;
    } else if (steps < chans) {
        size_vote = -1;
        size_strong = steps <= 64 && chans >= 2 * steps;
    }
    int smooth_vote = 0;
    std::string smooth_text;
    if (auto s = smoothness(d)) {
        const double r = s->along_steps / std::max(s->along_channels, 1e-30);
        if (r < 0.7) smooth_vote = 1;
        else if (r > 1.0 / 0.7) smooth_vote = -1;
        if (smooth_vote != 0)
            smooth_text = std::string("values change more smoothly along ") + (smooth_vote > 0 ? "axis 1" : "axis 2") +
                          " (mean neighbour difference " + three_digits(std::min(s->along_steps, s->along_channels)) +
                          " versus " + three_digits(std::max(s->along_steps, s->along_channels)) + ")";
    }
    const std::string sizes = a1 + " and " + a2;
    int vote = size_vote;
    if (size_vote == 0 && smooth_vote == 0) {
        g.confidence = 0.5;
        g.reason = sizes + ": nothing tells time from channels; assuming (batch, length, channels) as stored";
        vote = 1;
    } else if (size_vote == 0) {
        vote = smooth_vote;
        g.confidence = 0.7;
        g.reason = sizes + "; " + smooth_text;
    } else if (smooth_vote == 0 || smooth_vote == size_vote) {
        g.confidence = size_strong ? (smooth_vote ? 0.9 : 0.8) : (smooth_vote ? 0.75 : 0.6);
        g.reason = sizes + ": this looks like " +
                   (size_vote > 0 ? std::string("(batch, length, channels)") : std::string("(batch, channels, length)")) +
                   (smooth_text.empty() ? "" : "; " + smooth_text);
    } else {
        vote = smooth_vote;
        g.confidence = 0.55;
        g.reason = sizes + " suggests " + (size_vote > 0 ? "(batch, length, channels)" : "(batch, channels, length)") +
                   ", but " + smooth_text + ", so the smoothness decides, with little confidence";
    }
    if (vote > 0) {
        g.time_axis = 1;
        g.channel_axis = 2;
        g.layout = "channels_last";
    } else {
        g.time_axis = 2;
        g.channel_axis = 1;
        g.layout = "channels_first";
    }
    return g;
}

}  // namespace convscope::data
