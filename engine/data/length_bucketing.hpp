// Grouping sequences of similar length into batches, so each batch is padded
// only to its own longest member instead of the dataset's.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

struct BucketOptions {
    int64_t batch_size = 0;  // fixed-size batches of neighbours in length order, or
    int64_t n_buckets = 0;   // this many buckets of (nearly) equal count
};

struct Bucket {
    std::vector<int64_t> indices;  // into the dataset, shortest first
    int64_t min_length = 0, maxlen = 0;
    int64_t padded_steps = 0;  // padding this bucket needs at its own maxlen
};

struct Bucketing {
    std::vector<Bucket> buckets;
    int64_t real_steps = 0;
    int64_t padded_steps = 0;         // summed over buckets
    int64_t global_padded_steps = 0;  // padding everything to the longest sequence
    int64_t saved_steps = 0;          // global - bucketed
    double saved_fraction = 0;        // saved / global (0 when nothing to save)
};

// Exactly one of batch_size / n_buckets must be positive.
Result<Bucketing> bucket_by_length(const Dataset& dataset, BucketOptions options);

}  // namespace convscope::data
