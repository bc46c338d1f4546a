#include "forward/forward_pass.hpp"

#include <stdexcept>

#include "diagnosis/input_axes.hpp"
#include "kernels/conv_workspace.hpp"
#include "layers/layer_support.hpp"
#include "layers/masking_rule.hpp"

namespace convscope {

namespace {

int64_t sequence_length(const Tensor& t, DataFormat f) {
    return t.rank() == 3 ? t.shape[layer_support::length_axis(f)] : 1;
}

// Every step of a sequence flagged when any of its steps is.
void spread_flags(StepMask& m) {
    for (int64_t b = 0; b < m.batch; ++b) {
        bool any = false;
        for (int64_t t = 0; t < m.length; ++t) any = any || m.at(b, t);
        for (int64_t t = 0; t < m.length; ++t) m.at(b, t) = any;
    }
}

}  // namespace

Result<ForwardResult> run_forward(const Stack& stack, const Tensor& input, const StackWeights& weights,
                                  const ForwardOptions& options) {
    ForwardResult result;
    result.trace = trace_stack(stack, TraceInput::uniform(input.shape), {false, false});
    if (!result.trace.ok()) return result;
    // Weights made for other shapes are named as such before any layer runs.
    if (auto fit = weights_fit(stack, result.trace, weights); !fit) return fit.error();

    const DataFormat format = stack.data_format;
    const int64_t batch = input.shape.rank() ? input.shape[0] : 0;
    // Masks and padding maps are over the steps the stack reads: a leading Permute((2, 1))
    // reads them on the other stored axis, and passes them on unchanged.
    const auto axes = input.rank() == 3 ? input_axes(stack) : std::nullopt;
    const int64_t length = axes ? input.shape[axes->length] : sequence_length(input, format);
    bool leading_permute = axes.has_value();
    std::optional<StepMask> mask = options.input_mask;
    if (mask && (mask->batch != batch || mask->length != length))
        return make_error("the input mask is " + std::to_string(mask->batch) + " x " + std::to_string(mask->length) +
                          " but the data has " + std::to_string(batch) + " sequences of " + std::to_string(length) + " steps");
    StepMask contamination = options.input_padding.value_or(StepMask(batch, length));
    if (contamination.batch != batch || contamination.length != length)
        return make_error("the padding map does not match the data's " + std::to_string(batch) + " x " +
                          std::to_string(length) + " steps");
    if (mask)  // masked steps count as padding for contamination
        for (size_t i = 0; i < contamination.flags.size(); ++i) contamination.flags[i] |= !mask->flags[i];

    kernels::ConvWorkspace workspace;
    const Tensor* current = &input;
    size_t enabled_total = 0;
    for (const auto& l : stack.layers) enabled_total += l.enabled;
    static const LayerWeights no_weights;
    result.outputs.reserve(enabled_total);  // `current` points into it
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& layer = stack.layers[i];
        if (!layer.enabled) continue;
        if (options.progress && !options.progress(result.outputs.size(), enabled_total)) {
            result.cancelled = true;
            return result;
        }
        const LayerKind* kind = find_layer_kind(layer.type);
        const TensorType& out_type = *result.trace.steps[i + 1].out;
        auto w = weights.by_layer.find(layer.name);
        const LayerWeights& layer_weights = w == weights.by_layer.end() ? no_weights : w->second;
        const MaskRule rule = kind->mask_rule();
        const StepMask* mask_in = mask && rule == MaskRule::Consume ? &*mask : nullptr;

        LayerOutput out;
        out.index = static_cast<int64_t>(i);
        out.name = layer.name;
        try {
            out.value = kind->forward(layer, ForwardArgs{*current, layer_weights, format, workspace, mask_in});
        } catch (const std::invalid_argument& e) {
            return make_error("layer \"" + layer.name + "\" (" + layer.type + "): " + e.what());
        }

        // A layer that reads the mask ignores masked steps, so they cannot contaminate it.
        StepMask flagged = contamination;
        if (mask_in)
            for (size_t k = 0; k < flagged.flags.size(); ++k) flagged.flags[k] &= mask_in->flags[k];
        leading_permute = leading_permute && layer.type == "Permute";
        out.contamination = leading_permute ? flagged : kind->contamination(layer, format, flagged, out_type);
        // A softmax activation (Activation's or a layer's own) normalises the last axis, which on
        // (batch, channels, length) is the length: one flagged step then reaches every step.
        if (format == DataFormat::ChannelsFirst && out.value.rank() == 3 && layer.params.contains("activation") &&
            layer.params["activation"] == "softmax")
            spread_flags(out.contamination);

        switch (rule) {
            case MaskRule::Produce: {
                const float mask_value = static_cast<float>(layer.params.value("mask_value", 0.0));
                StepMask produced = step_mask(*current, format, mask_value);
                if (mask)  // an earlier mask still holds: a step must be real in both
                    for (size_t k = 0; k < produced.flags.size(); ++k) produced.flags[k] &= mask->flags[k];
                for (size_t k = 0; k < out.contamination.flags.size() && k < produced.flags.size(); ++k)
                    out.contamination.flags[k] |= !produced.flags[k];
                mask = std::move(produced);
                break;
            }
            case MaskRule::Propagate:
                if (mask && sequence_length(out.value, format) != mask->length) mask.reset();
                break;
            case MaskRule::Consume:
            case MaskRule::Drop: mask.reset(); break;
        }
        out.mask = mask;
        contamination = out.contamination;
        result.outputs.push_back(std::move(out));
        current = &result.outputs.back().value;
    }
    if (options.progress) options.progress(enabled_total, enabled_total);
    return result;
}

}  // namespace convscope
