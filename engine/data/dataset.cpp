#include "data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace convscope::data {

struct Dataset::Impl {
    std::string source;
    std::string format;
    std::string dtype;
    std::optional<NpyArray> array;     // set for array-backed datasets
    std::vector<Sequence> sequences;   // set for in-memory ones
    int64_t channels = 0;
    std::vector<std::string> channel_names;
    std::vector<std::string> notes;
    bool labels_are_targets = false;
};

Dataset::Dataset() : impl_(std::make_shared<Impl>()) {}

Dataset Dataset::from_array(NpyArray array, std::string format) {
    auto impl = std::make_shared<Impl>();
    impl->source = array.source();
    impl->format = std::move(format);
    impl->dtype = array.dtype_name();
    impl->channels = array.shape().size() == 3 ? array.shape()[2] : 1;
    impl->array = std::move(array);
    return Dataset(std::move(impl));
}

Dataset Dataset::from_sequences(std::vector<Sequence> sequences, std::string source, std::string format,
                                std::string dtype, std::vector<std::string> channel_names,
                                std::vector<std::string> notes, bool labels_are_targets) {
    auto impl = std::make_shared<Impl>();
    impl->source = std::move(source);
    impl->format = std::move(format);
    impl->dtype = std::move(dtype);
    impl->channels = sequences.empty() ? 0 : sequences.front().channels;
    impl->sequences = std::move(sequences);
    impl->channel_names = std::move(channel_names);
    impl->notes = std::move(notes);
    impl->labels_are_targets = labels_are_targets;
    return Dataset(std::move(impl));
}

bool Dataset::labels_are_targets() const { return impl_->labels_are_targets; }

std::string Dataset::source() const { return impl_->source; }
std::string Dataset::format() const { return impl_->format; }
std::string Dataset::dtype() const { return impl_->dtype; }
int64_t Dataset::channels() const { return impl_->channels; }
const std::vector<std::string>& Dataset::channel_names() const { return impl_->channel_names; }
const std::vector<std::string>& Dataset::notes() const { return impl_->notes; }

std::optional<std::vector<int64_t>> Dataset::array_shape() const {
    if (impl_->array) return impl_->array->shape();
    return std::nullopt;
}

int64_t Dataset::size() const {
    if (impl_->array) return impl_->array->shape().size() == 1 ? 1 : impl_->array->shape()[0];
    return static_cast<int64_t>(impl_->sequences.size());
}

int64_t Dataset::length(int64_t i) const {
    if (i < 0 || i >= size()) return 0;
    if (impl_->array) {
        const auto& s = impl_->array->shape();
        return s.size() == 1 ? s[0] : s[1];
    }
    return impl_->sequences[static_cast<size_t>(i)].length;
}

std::optional<std::string> Dataset::label(int64_t i) const {
    if (impl_->array || i < 0 || i >= size()) return std::nullopt;
    return impl_->sequences[static_cast<size_t>(i)].label;
}

bool Dataset::has_labels() const {
    return std::any_of(impl_->sequences.begin(), impl_->sequences.end(),
                       [](const Sequence& s) { return s.label.has_value(); });
}

std::string Dataset::name(int64_t i) const {
    if (!impl_->array && i >= 0 && i < size()) {
        const auto& n = impl_->sequences[static_cast<size_t>(i)].name;
        if (!n.empty()) return n;
    }
    return "#" + std::to_string(i);
}

Sequence Dataset::sequence(int64_t i) const {
    if (i < 0 || i >= size()) return {};
    if (!impl_->array) return impl_->sequences[static_cast<size_t>(i)];
    Sequence s;
    s.name = name(i);
    s.length = length(i);
    s.channels = channels();
    s.values.resize(static_cast<size_t>(s.length * s.channels));
    read_steps(i, 0, s.values);
    return s;
}

void Dataset::read_steps(int64_t i, int64_t first_step, std::span<float> out) const {
    const int64_t c = channels();
    const int64_t len = length(i);
    if (i < 0 || i >= size() || c <= 0 || first_step < 0 || first_step >= len) {
        std::fill(out.begin(), out.end(), std::numeric_limits<float>::quiet_NaN());
        return;
    }
    const int64_t start = first_step * c;
    if (impl_->array) {
        // Rows past the sequence end must not spill into the next sequence.
        const int64_t avail = (len - first_step) * c;
        const auto n = static_cast<size_t>(std::min<int64_t>(avail, static_cast<int64_t>(out.size())));
        impl_->array->read_range(i * len * c + start, out.first(n));
        std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::numeric_limits<float>::quiet_NaN());
        return;
    }
    const auto& v = impl_->sequences[static_cast<size_t>(i)].values;
    const auto n = std::min(out.size(), v.size() - static_cast<size_t>(start));
    std::copy_n(v.begin() + start, n, out.begin());
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::numeric_limits<float>::quiet_NaN());
}

bool Dataset::stored_value_finite(int64_t i, int64_t step, int64_t channel) const {
    const int64_t c = channels(), len = length(i);
    if (i < 0 || i >= size() || step < 0 || step >= len || channel < 0 || channel >= c) return false;
    if (impl_->array) return impl_->array->stored_value_finite((i * len + step) * c + channel);
    const auto& s = impl_->sequences[static_cast<size_t>(i)];
    const int64_t at = step * c + channel;
    return std::isfinite(s.values[static_cast<size_t>(at)]) ||
           std::binary_search(s.beyond_float32.begin(), s.beyond_float32.end(), at);
}

void Dataset::release_steps(int64_t i, int64_t first_step, int64_t count) const {
    if (!impl_->array) return;
    const int64_t c = channels();
    impl_->array->release_range((i * length(i) + first_step) * c, count * c);
}

void Dataset::release_values(int64_t first_value, int64_t count) const {
    if (impl_->array) impl_->array->release_range(first_value, count);
}

Dataset Dataset::with_notes(std::vector<std::string> notes) const {
    auto impl = std::make_shared<Impl>(*impl_);
    impl->notes = std::move(notes);
    return Dataset(std::move(impl));
}

Dataset Dataset::with_source(std::string source, std::string format) const {
    auto impl = std::make_shared<Impl>(*impl_);
    impl->source = std::move(source);
    impl->format = std::move(format);
    return Dataset(std::move(impl));
}

}  // namespace convscope::data
