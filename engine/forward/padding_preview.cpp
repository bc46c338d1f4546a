#include "forward/padding_preview.hpp"

#include <cmath>
#include <limits>

#include "diagnosis/input_axes.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

bool is_conv(const std::string& type) {
    return type == "Conv1D" || type == "DepthwiseConv1D" || type == "SeparableConv1D";
}

Stack with_overrides(Stack stack, const PaddingPreviewOptions& o) {
    for (auto& l : stack.layers) {
        if (!is_conv(l.type)) continue;
        if (o.conv_padding) l.params["padding"] = *o.conv_padding;
        if (o.conv_padding_mode && l.type != "SeparableConv1D") l.params["padding_mode"] = *o.conv_padding_mode;
    }
    return stack;
}

// Largest |a - b| over channels at each output step of `a`, comparing with b's step t - offset.
std::vector<float> step_difference(const Tensor& a, const Tensor* b, int64_t offset, DataFormat f) {
    const bool sequence = a.rank() == 3;
    const int64_t steps = sequence ? a.shape[layer_support::length_axis(f)] : 1;
    std::vector<float> diff(static_cast<size_t>(steps), std::numeric_limits<float>::quiet_NaN());
    if (!b || b->rank() != a.rank()) return diff;
    if (!sequence) {
        float d = 0;
        for (size_t i = 0; i < a.data.size() && i < b->data.size(); ++i) d = std::max(d, std::abs(a.data[i] - b->data[i]));
        diff[0] = d;
        return diff;
    }
    const int64_t c_axis = layer_support::channels_axis(f);
    const int64_t channels = a.shape[c_axis];
    const int64_t b_steps = b->shape[layer_support::length_axis(f)];
    for (int64_t t = 0; t < steps; ++t) {
        const int64_t u = t - offset;
        if (u < 0 || u >= b_steps) continue;
        float d = 0;
        for (int64_t c = 0; c < channels; ++c) {
            const float va = f == DataFormat::ChannelsLast ? a.at(0, t, c) : a.at(0, c, t);
            const float vb = f == DataFormat::ChannelsLast ? b->at(0, u, c) : b->at(0, c, u);
            d = std::max(d, std::abs(va - vb));
        }
        diff[static_cast<size_t>(t)] = d;
    }
    return diff;
}

}  // namespace

Tensor sequence_tensor(const data::Sequence& s, DataFormat format) {
    Tensor t(TensorType::sequence(format, 1, s.length, s.channels).shape);
    for (int64_t i = 0; i < s.length; ++i)
        for (int64_t c = 0; c < s.channels; ++c) {
            const float v = s.values[static_cast<size_t>(i * s.channels + c)];
            if (format == DataFormat::ChannelsLast) t.at(0, i, c) = v;
            else t.at(0, c, i) = v;
        }
    return t;
}

Result<PaddingPreview> preview_padding(const Stack& original, const data::Sequence& sequence,
                                       const PaddingPreviewOptions& options, const StackWeights* given_weights) {
    PaddingPreview preview;
    preview.stack = with_overrides(original, options);
    const Stack& stack = preview.stack;
    const DataFormat format = stack.data_format;
    // The sequence's steps go on the stored axis the stack reads as length: a stack that
    // starts with Permute((2, 1)) is fed them on the other axis, and padding follows.
    const DataFormat input_format =
        reads_input_swapped(stack) ? (format == DataFormat::ChannelsLast ? DataFormat::ChannelsFirst : DataFormat::ChannelsLast)
                                   : format;
    preview.original_length = sequence.length;

    // Keras' pad_sequences on a batch of one.
    data::PadOptions pad;
    pad.maxlen = options.maxlen.value_or(sequence.length);
    pad.padding = options.padding;
    pad.truncating = options.truncating;
    pad.value = options.value;
    const auto dataset = data::Dataset::from_sequences({sequence}, "preview", "memory", "float32");
    const data::PaddedBatch batch = data::pad_sequences(dataset, pad);
    preview.maxlen = batch.maxlen;
    const int64_t kept = std::min(sequence.length, batch.maxlen);
    const int64_t cut = sequence.length - kept;
    preview.cut_before = options.truncating == data::PadSide::Pre ? cut : 0;
    preview.cut_after = cut - preview.cut_before;
    preview.pad_before = options.padding == data::PadSide::Pre ? batch.maxlen - kept : 0;
    preview.pad_after = batch.maxlen - kept - preview.pad_before;
    preview.input_padding = StepMask(1, batch.maxlen);
    StepMask real(1, batch.maxlen);
    for (int64_t t = 0; t < batch.maxlen; ++t) {
        real.at(0, t) = batch.mask[static_cast<size_t>(t)];
        preview.input_padding.at(0, t) = !real.at(0, t);
    }
    data::Sequence padded_seq = sequence;
    padded_seq.length = batch.maxlen;
    padded_seq.values = batch.values;
    const Tensor padded_input = sequence_tensor(padded_seq, input_format);

    const Trace padded_trace = trace_stack(stack, TraceInput::uniform(padded_input.shape), {false, false});
    if (!padded_trace.ok()) {
        const TraceStep& f = padded_trace.steps[*padded_trace.failing_step];
        return make_error("the padded sequence " + padded_input.shape.to_string() + " does not fit the stack at " + f.name +
                          ": " + f.error->explanation);
    }
    // Weights made for other shapes (an earlier version of the stack) are refused with the
    // reason, never run into a kernel's internal check.
    if (given_weights)
        if (auto fit = weights_fit(stack, padded_trace, *given_weights); !fit) return fit.error();
    const StackWeights weights = given_weights ? *given_weights : initialise_weights(stack, padded_trace, InitScheme::Keras, 0);

    ForwardOptions padded_options;
    padded_options.input_padding = preview.input_padding;
    auto padded = run_forward(stack, padded_input, weights, padded_options);
    if (!padded) return padded.error();

    // Keras' Masking(mask_value=value) in front: masked steps read as zero and carry the mask.
    Tensor masked_input = padded_input;
    for (int64_t t = 0; t < batch.maxlen; ++t)
        if (!real.at(0, t))
            for (int64_t c = 0; c < sequence.channels; ++c)
                (input_format == DataFormat::ChannelsLast ? masked_input.at(0, t, c) : masked_input.at(0, c, t)) = 0.0f;
    ForwardOptions masked_options = padded_options;
    masked_options.input_mask = real;
    auto masked = run_forward(stack, masked_input, weights, masked_options);
    if (!masked) return masked.error();

    std::optional<ForwardResult> unpadded;
    const Tensor unpadded_input = sequence_tensor(sequence, input_format);
    // The unpadded run shares the padded run's weights; where its shapes need others (a
    // Dense after Flatten sized by the length) there is no unpadded counterpart.
    const Trace unpadded_trace = trace_stack(stack, TraceInput::uniform(unpadded_input.shape), {false, false});
    if (unpadded_trace.ok() && weights_fit(stack, unpadded_trace, weights)) {
        auto run = run_forward(stack, unpadded_input, weights);
        if (!run) return run.error();
        unpadded = std::move(*run);
    }

    // Where the unpadded sequence's first step landed, in input steps; divided by each
    // layer's cumulative stride to find it in that layer's output.
    const double input_offset = static_cast<double>(preview.pad_before - preview.cut_before);
    for (size_t k = 0; k < padded->outputs.size(); ++k) {
        const LayerOutput& p = padded->outputs[k];
        LayerPreview lp;
        lp.index = p.index;
        lp.name = p.name;
        lp.padded = p.value;
        lp.masked = masked->outputs[k].value;
        lp.contamination = p.contamination;
        const ReceptiveField& rf = padded->trace.steps[static_cast<size_t>(p.index) + 1].receptive_field;
        lp.offset = rf.whole ? 0 : static_cast<int64_t>(std::floor(input_offset / rf.jump + 0.5));
        if (unpadded) lp.unpadded = unpadded->outputs[k].value;
        const Tensor* reference = unpadded ? &*lp.unpadded : nullptr;
        lp.diff_padded = step_difference(lp.padded, reference, lp.offset, format);
        lp.diff_masked = step_difference(lp.masked, reference, lp.offset, format);
        preview.layers.push_back(std::move(lp));
    }
    return preview;
}

}  // namespace convscope
