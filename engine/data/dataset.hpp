// A collection of sequences as a Conv1D model would see them: each sequence is
// [length][channels], lengths may differ, the channel count may not.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "data/npy_array.hpp"

namespace convscope::data {

struct Sequence {
    std::string name;
    std::optional<std::string> label;
    int64_t length = 0;
    int64_t channels = 0;
    std::vector<float> values;  // row-major [length][channels]
    // Sorted indices into `values` of numbers the file gave as finite but beyond float32's
    // range, so read as +-inf (Dataset::stored_value_finite tells them from real infinities).
    std::vector<int64_t> beyond_float32;
};

// Immutable and shared-owning: copies are cheap and safe to hand to another thread.
class Dataset {
public:
    Dataset();  // empty

    // An array as stored: 3-D (N, A, B) -> N sequences of A steps x B channels;
    // 2-D (N, L) -> N univariate sequences; 1-D (L) -> one univariate sequence.
    // Elements stay in the (mapped) array and are converted on demand.
    static Dataset from_array(NpyArray array, std::string format = "npy");
    // Sequences held in memory (text formats, audio). All must have the same channel
    // count and values.size() == length * channels; the caller checks that.
    static Dataset from_sequences(std::vector<Sequence> sequences, std::string source, std::string format,
                                  std::string dtype, std::vector<std::string> channel_names = {},
                                  std::vector<std::string> notes = {}, bool labels_are_targets = false);

    std::string source() const;
    std::string format() const;
    std::string dtype() const;
    std::optional<std::vector<int64_t>> array_shape() const;
    int64_t size() const;
    int64_t channels() const;
    int64_t length(int64_t i) const;
    std::optional<std::string> label(int64_t i) const;
    bool has_labels() const;
    // The labels are regression targets (numbers, e.g. a .ts with @targetLabel true), not classes.
    bool labels_are_targets() const;
    std::string name(int64_t i) const;
    Sequence sequence(int64_t i) const;

    // Streaming access that never materialises a whole sequence: steps
    // [first_step, first_step + out.size() / channels()) of sequence i.
    void read_steps(int64_t i, int64_t first_step, std::span<float> out) const;
    // Whether the value as stored in the file is finite (see NpyArray::stored_value_finite);
    // in-memory sequences hold float32 already, so their values are what was stored.
    bool stored_value_finite(int64_t i, int64_t step, int64_t channel) const;
    // Hint that those steps were consumed (lets a pass over a mapped file stay small).
    void release_steps(int64_t i, int64_t first_step, int64_t count) const;
    // The same for a flat C-order range of the stored array (no-op otherwise).
    // Streaming passes should release well behind the read position: the kernel
    // maps pages around each fault, so releasing right at it re-maps them.
    void release_values(int64_t first_value, int64_t count) const;

    // Names of the channels when the file gave them (a CSV header); otherwise empty.
    const std::vector<std::string>& channel_names() const;
    // What the loader noticed but did not reject, e.g. "3 empty cells, first at line 4, column 2".
    const std::vector<std::string>& notes() const;
    // A copy with other metadata. Copies in-memory sequences too, so loaders pass
    // metadata to from_sequences instead; these are for array-backed datasets.
    Dataset with_notes(std::vector<std::string> notes) const;
    Dataset with_source(std::string source, std::string format) const;

private:
    struct Impl;
    explicit Dataset(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<const Impl> impl_;
};

}  // namespace convscope::data
