// What running a stack will cost before any of it runs: every layer's output,
// weight and scratch bytes and its multiply-adds, from the shapes the trace
// already holds, in checked 64-bit arithmetic (an overflow is an error naming
// the layer, never a wrapped number).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "diagnosis/shape_trace.hpp"

namespace convscope {

struct LayerWork {
    int64_t index = 0;          // position in the stack
    std::string name, type;
    uint64_t output_bytes = 0;  // float32 output
    uint64_t weight_bytes = 0;  // float32 parameters
    uint64_t scratch_bytes = 0;  // convolution patches and packed weights, at most
    uint64_t macs = 0;          // multiply-adds (elementwise layers: one per output value)
};

struct WorkEstimate {
    uint64_t input_bytes = 0;
    std::vector<LayerWork> layers;  // enabled layers, in order
    uint64_t total_macs = 0;
    uint64_t weight_bytes = 0;
    uint64_t final_output_bytes = 0;
    // Peak memory of run_forward (every layer's output kept) and of
    // run_forward_streaming (input, output and chunk-sized intermediates),
    // each plus the final output once more for the .npy writer's staging.
    uint64_t peak_bytes_layer_by_layer = 0;
    uint64_t peak_bytes_streamed = 0;
    const LayerWork* largest_output() const;
    const LayerWork* most_macs() const;
};

// `trace` must pass. `chunk_steps` is the streamed run's chunk (StreamingOptions).
Result<WorkEstimate> estimate_work(const Stack& stack, const Trace& trace, int64_t chunk_steps = 65536);

// Output steps per streamed chunk so that one chunk is about `macs_per_chunk`
// multiply-adds: cancellation and progress then come at least that often. A
// multiple of 64 from 64 to `max_steps`.
int64_t chunk_steps_for(const WorkEstimate& work, int64_t output_length, uint64_t macs_per_chunk = 500'000'000,
                        int64_t max_steps = 65536);

// "1.0e13"
std::string mac_count_text(uint64_t macs);

}  // namespace convscope
