#include "diagnosis/shape_trace.hpp"

#include <algorithm>
#include <cmath>

#include "common/limits.hpp"
#include "data/sequence_reading.hpp"
#include "diagnosis/fix_proposals.hpp"
#include "diagnosis/input_axes.hpp"
#include "layers/framework_messages.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace fm = framework_messages;

bool TraceInput::ragged() const {
    if (lengths.size() < 2) return false;
    return std::any_of(lengths.begin(), lengths.end(), [&](int64_t l) { return l != lengths.front(); });
}

namespace {

// What the stack believes each axis of its input is: a sequence batch as the stack reads
// it, through any leading Permute.
TensorType input_type(const Shape& shape, const Stack& stack) {
    TensorType t{shape, {}};
    switch (shape.rank()) {
        case 3: t.roles = input_roles(stack); break;
        case 2: t.roles = {AxisRole::Batch, AxisRole::Length}; break;
        case 1: t.roles = {AxisRole::Length}; break;
        default:
            t.roles.assign(static_cast<size_t>(shape.rank()), AxisRole::Features);
            if (!t.roles.empty()) t.roles[0] = AxisRole::Batch;
    }
    return t;
}

bool next_enabled_is_permute(const Stack& stack, size_t i) {
    for (size_t j = i + 1; j < stack.layers.size(); ++j)
        if (stack.layers[j].enabled) return stack.layers[j].type == "Permute";
    return false;
}

const LayerSpec* first_enabled(const Stack& stack) {
    for (const auto& l : stack.layers)
        if (l.enabled) return &l;
    return nullptr;
}

std::optional<ShapeError> check_ragged(const TraceInput& input, DataFormat format) {
    if (!input.ragged()) return std::nullopt;
    const auto [lo, hi] = std::minmax_element(input.lengths.begin(), input.lengths.end());
    ShapeError e;
    e.kind = MistakeKind::RaggedBatch;
    e.axis = input.length_axis >= 0 ? input.length_axis : layer_support::length_axis(format);
    e.role = AxisRole::Length;
    e.expected = "one length for all " + std::to_string(input.lengths.size()) + " sequences in the batch";
    e.actual = "lengths from " + std::to_string(*lo) + " to " + std::to_string(*hi);
    e.explanation = "The batch mixes sequences of " + std::to_string(*lo) + " to " + std::to_string(*hi) +
                    " steps. A tensor must be rectangular: pad (and mask) the shorter sequences to one length, "
                    "truncate the longer ones, or batch sequences of equal length together.";
    const int64_t channels = input.shape.rank() == 3 ? input.shape[layer_support::channels_axis(format)] : 1;
    int64_t other = input.lengths.front();
    for (auto l : input.lengths)
        if (l != other) {
            other = l;
            break;
        }
    e.framework_message = format == DataFormat::ChannelsLast ? fm::keras_ragged()
                                                             : fm::torch_ragged(input.lengths.front(), other, channels);
    return e;
}

// Each axis of the data against ConvScope's limit, before any layer computes with it. The element
// count is left to the layers: the one whose arithmetic overflows (a Flatten, say) is named.
std::optional<ShapeError> check_input_limits(const Shape& shape) {
    const TensorType t{shape, {}};
    const LayerContext ctx{DataFormat::ChannelsLast, "input", -1};
    std::optional<LayerFailure> f;
    for (int64_t a = 0; a < shape.rank() && !f; ++a)
        f = layer_support::check_size(t, ctx, "Input", "axis " + std::to_string(a) + " of " + shape.to_string(),
                                      CheckedInt(shape[a] == kAnyDim ? 0 : shape[a]), limits::kMaxDimension,
                                      "steps or entries on one axis", a);
    if (!f) return std::nullopt;
    ShapeError e;
    static_cast<LayerFailure&>(e) = std::move(*f);
    return e;
}

// "1 axis", "3 axes"
std::string axes_text(int64_t rank) { return std::to_string(rank) + (rank == 1 ? " axis" : " axes"); }

// How a 1-D or 2-D array missing the axes of a sequence batch reads, in the words of the data
// panel (data::read_array_shape owns the reading), and the shape to give it. Empty for other ranks.
std::string data_reading_note(const Shape& actual, DataFormat format) {
    if (actual.rank() != 1 && actual.rank() != 2) return {};
    const auto reading = data::read_array_shape(actual.dims);
    const bool last = format == DataFormat::ChannelsLast;
    if (actual.rank() == 2 && !reading.sequences_are_steps)
        return " It reads as " + std::to_string(reading.sequences) +
               " univariate sequences with no channel axis; a univariate series still needs one: shape it as " +
               (last ? "(batch, length, 1)." : "(batch, 1, length).");
    const std::string steps = std::to_string(reading.steps), channels = std::to_string(reading.channels);
    return " It reads as one recording of " + steps + " steps x " + channels +
           (reading.channels == 1 ? " channel" : " channels") + " with no batch axis" +
           (actual.rank() == 1 ? " and no channel axis" : "") + ": shape it as " +
           (last ? "(1, " + steps + ", " + channels + ")." : "(1, " + channels + ", " + steps + ").");
}

// True when layer `index` is the first enabled one: it reads the data as it was given.
bool reads_the_data(const Stack& stack, size_t index) {
    for (size_t i = 0; i < index; ++i)
        if (stack.layers[i].enabled) return false;
    return true;
}

// The declared input shape against the data, the way a Keras Input or a PyTorch first layer checks it.
std::optional<ShapeError> check_declared(const Stack& stack, const Shape& actual, std::vector<LayerWarning>& warnings) {
    if (!stack.input_shape) return std::nullopt;
    const Shape& declared = *stack.input_shape;
    const DataFormat format = stack.data_format;
    auto framework = [&](int64_t expected_c, int64_t actual_c) {
        if (format == DataFormat::ChannelsLast) return fm::keras_model_input(declared, actual);
        const LayerSpec* first = first_enabled(stack);
        if (first && first->params.contains("kernel_size") && first->params.contains("filters")) {
            const Shape weight{first->params["filters"].get<int64_t>(), expected_c,
                               first->params["kernel_size"].get<int64_t>()};
            return fm::torch_conv_channels(1, weight, actual, expected_c, actual_c);
        }
        return "Expected input of shape " + fm::shape_list(declared) + ", but got " + fm::shape_list(actual);
    };
    ShapeError e;
    if (declared.rank() != actual.rank()) {
        e.kind = MistakeKind::RankMismatch;
        e.expected = axes_text(declared.rank()) + " " + declared.to_string();
        e.actual = axes_text(actual.rank()) + " " + actual.to_string();
        e.explanation = "The stack expects " + axes_text(declared.rank()) + " " + declared.to_string() +
                        " but the data has " + axes_text(actual.rank()) + " " + actual.to_string() + ".";
        if (declared.rank() == 3) e.explanation += data_reading_note(actual, format);
        e.framework_message = format == DataFormat::ChannelsLast ? fm::keras_model_input(declared, actual)
                                                                 : "Expected 2D (unbatched) or 3D (batched) input to "
                                                                   "conv1d, but got input of size: " +
                                                                       fm::shape_list(actual);
        return e;
    }
    if (actual.rank() != 3) return std::nullopt;
    // The declared shape is the stored input's: its channels and length are on the axes the
    // stack reads them from (a leading Permute((2, 1)) swaps them).
    const auto axes = input_axes(stack);
    const int64_t c_axis = axes ? axes->channels : layer_support::channels_axis(format);
    const int64_t l_axis = axes ? axes->length : layer_support::length_axis(format);
    const int64_t dc = declared[c_axis], dl = declared[l_axis];
    const int64_t ac = actual[c_axis], al = actual[l_axis];
    if (dc != kAnyDim && dc != ac) {
        const bool transposed = al == dc && (dl == kAnyDim || dl == ac);
        e.kind = transposed ? MistakeKind::TransposedInput : MistakeKind::ChannelMismatch;
        e.axis = c_axis;
        e.role = AxisRole::Channels;
        e.expected = std::to_string(dc) + " channels";
        e.actual = std::to_string(ac) + " channels";
        // The stored layout the stack reads (a leading Permute((2, 1)) swaps its format's).
        const bool reads_last = c_axis == 2;
        const std::string layout = reads_last ? "(batch, length, channels)" : "(batch, channels, length)";
        const std::string other_layout = reads_last ? "(batch, channels, length)" : "(batch, length, channels)";
        const std::string through_permute =
            reads_input_swapped(stack) ? " (its leading Permute((2, 1)) swaps the stored axes)" : "";
        if (transposed) {
            e.explanation = "The stack is " + std::string(to_string(format)) + " and declares " + declared.to_string() +
                            through_permute + ", i.e. " + layout + " with " + std::to_string(dc) + " channels, but the data " +
                            actual.to_string() + " has " + std::to_string(dc) + " on axis " + std::to_string(l_axis) +
                            " and " + std::to_string(ac) + " on axis " + std::to_string(c_axis) +
                            ": it is transposed, laid out " + other_layout +
                            ". Every convolution would read " + std::to_string(ac) + " steps as channels.";
        } else {
            e.explanation = "The stack declares " + std::to_string(dc) + " input channels " + declared.to_string() +
                            ", but the data " + actual.to_string() + " has " + std::to_string(ac) +
                            " on the channels axis (axis " + std::to_string(c_axis) + ").";
        }
        e.framework_message = framework(dc, ac);
        return e;
    }
    if (dl != kAnyDim && dl != al) {
        warnings.push_back({MistakeKind::LengthMismatch, l_axis,
                            "The stack declares " + std::to_string(dl) + " steps but the data has " +
                                std::to_string(al) + "; convolutions accept any length, but layers after a Flatten "
                                                     "were sized for " +
                                std::to_string(dl) + "."});
    }
    if (declared[0] != kAnyDim && declared[0] != actual[0])
        warnings.push_back({MistakeKind::LengthMismatch, 0,
                            "The stack declares a batch of " + std::to_string(declared[0]) + " but the data has " +
                                std::to_string(actual[0]) + "; declare the batch as null unless it must be fixed."});
    return std::nullopt;
}

}  // namespace

Trace trace_stack(const Stack& stack, const TraceInput& input, const TraceOptions& options) {
    Trace trace;
    trace.format = stack.data_format;
    trace.input = input;

    TraceStep first;
    first.index = -1;
    first.name = "input";
    first.type = "Input";
    first.declared = stack.input_shape;
    first.out = input_type(input.shape, stack);
    if (auto l = check_input_limits(input.shape)) first.error = std::move(l);
    else if (auto e = check_ragged(input, stack.data_format)) first.error = std::move(e);
    else if (auto d = check_declared(stack, input.shape, first.warnings)) first.error = std::move(d);
    if (first.error) trace.failing_step = 0;
    trace.steps.push_back(std::move(first));

    std::optional<TensorType> current = trace.steps[0].error ? std::nullopt : trace.steps[0].out;
    ReceptiveField rf;
    CheckedInt total_params = 0;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& spec = stack.layers[i];
        const LayerKind* kind = find_layer_kind(spec.type);
        TraceStep step;
        step.index = static_cast<int64_t>(i);
        step.name = spec.name;
        step.type = spec.type;
        step.enabled = spec.enabled;
        step.in = current;
        if (kind) step.length_rule = kind->length_rule(spec, stack.data_format);
        if (!current || !kind) {
            trace.steps.push_back(std::move(step));
            current.reset();
            continue;
        }
        if (!spec.enabled) {
            step.out = current;
            step.receptive_field = rf;
            trace.steps.push_back(std::move(step));
            continue;
        }
        const LayerContext ctx{stack.data_format, spec.name, static_cast<int64_t>(i)};
        ShapeOutcome outcome = kind->infer(spec, *current, ctx);
        // Every output, whatever the layer, stays within the limits, and so does the stack's total.
        if (!outcome.failure) {
            if (auto f = layer_support::check_output(*current, ctx, spec.type, *outcome.out, CheckedInt(outcome.param_count)))
                outcome.failure = std::move(f);
            else if (auto t = layer_support::check_size(*current, ctx, spec.type,
                                                        "the stack's parameter count up to this layer",
                                                        total_params + outcome.param_count, limits::kMaxElements,
                                                        "parameters"))
                outcome.failure = std::move(t);
        }
        step.warnings = std::move(outcome.warnings);
        if (outcome.failure) {
            ShapeError e;
            static_cast<LayerFailure&>(e) = std::move(*outcome.failure);
            // The first layer meeting a 1-D or 2-D array words it as the data panel reads that array.
            if (e.kind == MistakeKind::RankMismatch && e.expected.rfind("3 axes", 0) == 0 && reads_the_data(stack, i) &&
                input.shape.rank() < 3) {
                e.actual = axes_text(input.shape.rank()) + " " + input.shape.to_string();
                e.explanation = "This layer expects a sequence batch of 3 axes, but the data has " + e.actual + "." +
                                data_reading_note(input.shape, stack.data_format);
            }
            step.error = std::move(e);
            trace.failing_step = trace.steps.size();
            current.reset();
        } else {
            step.out = outcome.out;
            step.params = outcome.param_count;
            total_params += outcome.param_count;
            trace.total_params = total_params.value();
            // rf_out = rf_in + (extent - 1) * jump_in;  jump_out = jump_in * stride
            const StepMap map = kind->step_map(spec, stack.data_format);
            if (map.whole_sequence) rf.whole = true;
            if (!rf.whole) {
                const double grown = static_cast<double>(rf.steps) + std::ceil((map.extent - 1) * rf.jump - 1e-9);
                // A field wider than any sequence may be (limits::kMaxDimension) depends on the whole of it,
                // and that is what it is reported as: the step count would not fit an integer anyway.
                if (grown > static_cast<double>(limits::kMaxDimension)) rf.whole = true;
                else rf.steps = static_cast<int64_t>(grown);
                rf.jump *= map.stride;
            }
            step.receptive_field = rf;
            // After a Permute the next layer reads the axes by the data format, whatever they
            // held before: label them that way (a leading Permute's input is labelled likewise).
            // Within a run of Permutes the roles are carried, so the run's last output is the one relabelled.
            if (spec.type == "Permute" && step.out->rank() == 3 && !next_enabled_is_permute(stack, i))
                step.out->roles = sequence_roles(stack.data_format);
            current = step.out;
        }
        trace.steps.push_back(std::move(step));
    }

    if (options.compute_min_length) trace.min_input_length = minimum_input_length(stack, input);
    if (trace.failing_step && options.propose_fixes)
        trace.steps[*trace.failing_step].error->fixes = propose_fixes(stack, input, trace);
    return trace;
}

}  // namespace convscope
