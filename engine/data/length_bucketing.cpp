#include "data/length_bucketing.hpp"

#include <algorithm>
#include <numeric>

namespace convscope::data {

Result<Bucketing> bucket_by_length(const Dataset& d, BucketOptions o) {
    if ((o.batch_size > 0) == (o.n_buckets > 0))
        return make_error("bucket_by_length: give either a batch size or a number of buckets (exactly one, positive)");
    const int64_t n = d.size();
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return d.length(a) < d.length(b); });

    Bucketing r;
    int64_t longest = 0;
    for (int64_t i = 0; i < n; ++i) {
        r.real_steps += d.length(i);
        longest = std::max(longest, d.length(i));
    }
    r.global_padded_steps = n * longest - r.real_steps;

    const int64_t groups = o.batch_size > 0 ? (n + o.batch_size - 1) / o.batch_size : std::min(o.n_buckets, n);
    for (int64_t g = 0; g < groups; ++g) {
        // Batches: fixed size. Buckets: boundaries at count quantiles.
        const int64_t first = o.batch_size > 0 ? g * o.batch_size : g * n / groups;
        const int64_t last = o.batch_size > 0 ? std::min(n, first + o.batch_size) : (g + 1) * n / groups;
        if (first >= last) continue;
        Bucket b;
        b.indices.assign(order.begin() + first, order.begin() + last);
        b.min_length = d.length(b.indices.front());
        b.maxlen = d.length(b.indices.back());
        for (auto i : b.indices) b.padded_steps += b.maxlen - d.length(i);
        r.padded_steps += b.padded_steps;
        r.buckets.push_back(std::move(b));
    }
    r.saved_steps = r.global_padded_steps - r.padded_steps;
    r.saved_fraction = r.global_padded_steps > 0 ? double(r.saved_steps) / double(r.global_padded_steps) : 0.0;
    return r;
}

}  // namespace convscope::data
