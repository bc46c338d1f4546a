#include "forward/work_estimate.hpp"

#include <algorithm>
#include <cstdio>

#include "common/memory_budget.hpp"
#include "kernels/conv_workspace.hpp"

namespace convscope {

namespace {

// Values in a shape whose every dimension is known (the trace's input is concrete).
std::optional<uint64_t> element_count(const Shape& s) {
    uint64_t n = 1;
    for (int64_t d : s.dims) {
        if (d < 0) return std::nullopt;
        auto m = checked_mul(n, static_cast<uint64_t>(d));
        if (!m) return std::nullopt;
        n = *m;
    }
    return n;
}

// Length of a tensor (1 without a length axis). A layer's weights are applied at
// the shorter of its input and output length, so multiply-adds are batch x
// min(L_in, L_out) x parameters: exact for Conv1D (L_out x C_out x C_in/g x k,
// L_out <= L_in), Conv1DTranspose (L_in x C_in x C_out x k, L_in <= L_out), Dense
// per step, depthwise and separable convolutions (bias counted as one each); an
// upper bound for the normalisation layers.
uint64_t positions(const TensorType& t) {
    const int64_t l = t.dim(AxisRole::Length);
    return l > 0 ? static_cast<uint64_t>(l) : 1;
}

}  // namespace

const LayerWork* WorkEstimate::largest_output() const {
    auto it = std::max_element(layers.begin(), layers.end(),
                               [](const LayerWork& a, const LayerWork& b) { return a.output_bytes < b.output_bytes; });
    return it == layers.end() ? nullptr : &*it;
}

const LayerWork* WorkEstimate::most_macs() const {
    auto it = std::max_element(layers.begin(), layers.end(), [](const LayerWork& a, const LayerWork& b) { return a.macs < b.macs; });
    return it == layers.end() ? nullptr : &*it;
}

Result<WorkEstimate> estimate_work(const Stack& stack, const Trace& trace, int64_t chunk_steps) {
    WorkEstimate w;
    if (!trace.ok() || trace.steps.empty() || !trace.steps[0].out) return make_error("the stack's shapes do not pass");
    auto overflow = [](const std::string& what) {
        return make_error(what + ": the size overflows 64 bits; the shapes are far beyond any machine");
    };
    auto input = element_count(trace.steps[0].out->shape);
    if (!input || !checked_mul(*input, 4)) return overflow("the input " + trace.steps[0].out->shape.to_string());
    w.input_bytes = *input * 4;
    uint64_t all_outputs = 0, chunk_intermediates = 0, scratch = 0;
    for (size_t i = 1; i < trace.steps.size(); ++i) {
        const TraceStep& step = trace.steps[i];
        if (!step.enabled || !step.out || !step.in) continue;
        const LayerSpec& spec = stack.layers[static_cast<size_t>(step.index)];
        LayerWork l{step.index, spec.name, spec.type};
        const std::string where = "layer \"" + spec.name + "\" (" + spec.type + ", output " + step.out->shape.to_string() + ")";
        auto out = element_count(step.out->shape);
        auto out_bytes = out ? checked_mul(*out, 4) : std::nullopt;
        auto weight_bytes = checked_mul(static_cast<uint64_t>(std::max<int64_t>(step.params, 0)), 4);
        if (!out_bytes || !weight_bytes) return overflow(where);
        l.output_bytes = *out_bytes;
        l.weight_bytes = *weight_bytes;
        const uint64_t batch = step.out->shape.rank() ? static_cast<uint64_t>(std::max<int64_t>(step.out->shape[0], 0)) : 0;
        if (step.params > 0) {
            auto m = checked_mul(batch, std::min(positions(*step.in), positions(*step.out)));
            if (m) m = checked_mul(*m, static_cast<uint64_t>(step.params));
            if (!m) return overflow(where);
            l.macs = *m;
            // Patches are tiled within the workspace's cap; packed weights are as large as the weights.
            l.scratch_bytes = std::min<uint64_t>(kernels::ConvWorkspace::kMaxScratchBytes, l.output_bytes) + l.weight_bytes;
        } else {
            l.macs = *out;
        }
        auto total = checked_add(w.total_macs, l.macs);
        auto outs = checked_add(all_outputs, l.output_bytes);
        auto weights = checked_add(w.weight_bytes, l.weight_bytes);
        if (!total || !outs || !weights) return overflow(where);
        w.total_macs = *total, all_outputs = *outs, w.weight_bytes = *weights;
        // One chunk of this layer's output: its share of `chunk_steps` output steps.
        const uint64_t len = positions(*step.out);
        chunk_intermediates += l.output_bytes / len * std::min<uint64_t>(len, static_cast<uint64_t>(chunk_steps) * 2);
        scratch = std::max(scratch, l.scratch_bytes);
        w.final_output_bytes = l.output_bytes;
        w.layers.push_back(std::move(l));
    }
    // Each sum stays below 2^64: every term is at most the overflow-checked total of outputs.
    auto lbl = checked_add(w.input_bytes, all_outputs);
    if (lbl) lbl = checked_add(*lbl, w.weight_bytes + scratch);
    if (lbl) lbl = checked_add(*lbl, w.final_output_bytes);
    auto streamed = checked_add(w.input_bytes, w.final_output_bytes * 2);
    if (streamed) streamed = checked_add(*streamed, w.weight_bytes + scratch + chunk_intermediates);
    if (!lbl || !streamed) return overflow("the stack's outputs together");
    w.peak_bytes_layer_by_layer = *lbl;
    w.peak_bytes_streamed = *streamed;
    return w;
}

int64_t chunk_steps_for(const WorkEstimate& work, int64_t output_length, uint64_t macs_per_chunk, int64_t max_steps) {
    if (output_length <= 0 || work.total_macs == 0) return max_steps;
    const uint64_t per_step = std::max<uint64_t>(1, work.total_macs / static_cast<uint64_t>(output_length));
    const uint64_t steps = std::max<uint64_t>(64, macs_per_chunk / per_step);
    return std::min<int64_t>(max_steps, static_cast<int64_t>((steps + 63) / 64 * 64));
}

std::string mac_count_text(uint64_t macs) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1e", static_cast<double>(macs));
    return text;
}

}  // namespace convscope
