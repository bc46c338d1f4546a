#include "diagnosis/fix_proposals.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "common/limits.hpp"
#include "data/sequence_reading.hpp"
#include "diagnosis/input_axes.hpp"
#include "diagnosis/stack_edits.hpp"
#include "diagnosis/trace_input.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

using nlohmann::json;
using layer_support::channels_axis;
using layer_support::length_axis;

struct Candidate {
    std::string id;
    std::string description;
    Stack stack;
    TraceInput input;
    std::optional<DataChange> data_change;
    int score = 0;
    // The fix writes the stack's declared input shape from the data (not by reordering the
    // declared one): settle_declared_shape then keeps open what the stack does not need fixed.
    bool declares_from_data = false;
};

std::string shape_text(const Shape& s) { return s.to_string(); }

Shape swap_last_two(Shape s) {
    std::swap(s.dims[s.dims.size() - 1], s.dims[s.dims.size() - 2]);
    return s;
}

int64_t first_enabled_index(const Stack& stack) {
    for (size_t i = 0; i < stack.layers.size(); ++i)
        if (stack.layers[i].enabled) return static_cast<int64_t>(i);
    return -1;
}

// The stack expects (batch, length, channels) but the data is (batch, channels, length), or the reverse.
void transposition_fixes(const Stack& stack, const TraceInput& input, std::vector<Candidate>& out) {
    if (input.shape.rank() != 3) return;
    const Shape transposed = swap_last_two(input.shape);
    // The stored layout the stack reads: its format's, or the other one behind a leading Permute((2, 1)).
    const bool swapped = reads_input_swapped(stack);
    const bool reads_last = (stack.data_format == DataFormat::ChannelsLast) != swapped;
    const std::string layout = reads_last ? "(batch, length, channels)" : "(batch, channels, length)";
    const int64_t first = first_enabled_index(stack);
    // A stack that already swaps the axes with one Permute((2, 1)) is fixed by dropping it, not by a second one.
    const bool drop_permute = swapped && first >= 0 && stack.layers[static_cast<size_t>(first)].type == "Permute" &&
                              stack.layers[static_cast<size_t>(first)].params.value("dims", json::array()) == json{2, 1};
    {
        Candidate c;
        c.id = "transpose-input";
        c.description = "Transpose the data to " + shape_text(transposed) + " " + layout +
                        (drop_permute ? " (in the stack: remove the leading Permute((2, 1)))"
                                      : " (in the stack: start with Permute((2, 1)))");
        if (drop_permute) {
            c.stack = stack;
            c.stack.layers.erase(c.stack.layers.begin() + first);
        } else {
            c.stack = stack_edits::insert_layer(stack, 0, "Permute", json{{"dims", {2, 1}}});
        }
        if (stack.input_shape && stack.input_shape->rank() == 3) c.stack.input_shape = swap_last_two(*stack.input_shape);
        c.input = input;
        c.data_change = DataChange{DataChange::Kind::Transpose, "transpose the data to " + shape_text(transposed),
                                   transposed};
        c.score = 100;
        out.push_back(std::move(c));
    }
    {
        Candidate c;
        const DataFormat other_format = other(stack.data_format);
        c.id = "switch-data-format";
        c.description = "Declare the stack " + std::string(to_string(other_format)) + " (" +
                        std::string(framework_name(other_format)) + "'s layout), so " + shape_text(input.shape) +
                        " is read as " + (reads_last ? "(batch, channels, length)" : "(batch, length, channels)");
        c.stack = stack;
        c.stack.data_format = other_format;
        if (stack.input_shape && stack.input_shape->rank() == 3) c.stack.input_shape = swap_last_two(*stack.input_shape);
        c.input = input;
        c.score = 85;
        out.push_back(std::move(c));
    }
}

// Data with fewer axes than the stack wants (1-D recordings, (N, L) or (L, C) arrays), read the
// way the data panel reads it (sequence_batch_shape). The data fix feeds it as a sequence batch;
// its stack-side equivalent adds the channel axis with a Reshape that keeps the length open.
void add_axes_fixes(const Stack& stack, const TraceInput& input, size_t at, std::vector<Candidate>& out) {
    const auto target = sequence_batch_shape(input.shape, stack.data_format);
    if (!target || (stack.input_shape && stack.input_shape->rank() != 3)) return;
    const bool last = stack.data_format == DataFormat::ChannelsLast;
    const json channel_axis_reshape = last ? json{-1, 1} : json{1, -1};
    const std::string reshape_text = last ? "Reshape((-1, 1))" : "Reshape((1, -1))";
    const Stack with_reshape = [&] {
        Stack s = stack_edits::insert_layer(stack, at, "Reshape", json{{"target_shape", channel_axis_reshape}});
        if (stack.input_shape) s.input_shape = Shape{kAnyDim, kAnyDim};
        return s;
    }();
    if (input.shape.rank() == 1) {
        const int64_t length = input.shape[0];
        Candidate c;
        c.id = "add-batch-and-channel-axes";
        c.description = "Add batch and channel axes: reshape the data to " + shape_text(*target) +
                        " (in the stack: " + reshape_text + " on a batch of one)";
        c.stack = stack;
        c.input = TraceInput::uniform(*target);
        c.data_change = DataChange{DataChange::Kind::AddChannelAxis, "add batch and channel axes: " + shape_text(*target),
                                   *target};
        c.score = 95;
        out.push_back(std::move(c));
        Candidate r;
        r.id = "add-batch-axis-and-reshape";
        r.description = "Add a batch axis to the data, (1, " + std::to_string(length) + "), and start the stack with " +
                        reshape_text + " to add the channel axis (any length)";
        r.stack = with_reshape;
        r.input = TraceInput::uniform(Shape{1, length});
        r.data_change = DataChange{DataChange::Kind::AddChannelAxis, "add a batch axis: " + shape_text(r.input.shape),
                                   r.input.shape};
        r.score = 88;
        out.push_back(std::move(r));
        return;
    }
    const auto reading = data::read_array_shape(input.shape.dims);
    if (reading.sequences_are_steps) {
        // (L, C): one recording whose rows are steps; only the batch axis is missing.
        Candidate c;
        c.id = "add-batch-axis";
        c.description = "Add a batch axis: the data is one recording of " + std::to_string(reading.steps) +
                        " steps x " + std::to_string(reading.channels) + " channels; feed it as " + shape_text(*target) +
                        (last ? " (x[np.newaxis])" : " (x.T[np.newaxis], channels first)");
        c.stack = stack;
        c.input = TraceInput::uniform(*target);
        c.data_change = DataChange{DataChange::Kind::AddChannelAxis,
                                   std::string(last ? "add a batch axis: " : "add a batch axis, channels first: ") +
                                       shape_text(*target),
                                   *target};
        c.score = 95;
        out.push_back(std::move(c));
        return;
    }
    // (N, L): N univariate sequences; the stack's Reshape is traced on the data as it is.
    Candidate c;
    c.id = "add-channel-axis";
    c.description = "Add a channel axis: reshape the data to " + shape_text(*target) + " (in the stack: start with " +
                    reshape_text + ")";
    c.stack = with_reshape;
    c.input = input;
    c.data_change = DataChange{DataChange::Kind::AddChannelAxis, "add a channel axis: " + shape_text(*target), *target};
    c.score = 95;
    out.push_back(std::move(c));
}

void input_step_fixes(const Stack& stack, const TraceInput& input, const ShapeError& e, std::vector<Candidate>& out) {
    switch (e.kind) {
        case MistakeKind::RaggedBatch: {
            const int64_t longest = *std::max_element(input.lengths.begin(), input.lengths.end());
            const int64_t shortest = *std::min_element(input.lengths.begin(), input.lengths.end());
            const int64_t axis = input.length_axis >= 0 ? input.length_axis : length_axis(stack.data_format);
            const bool has_masking = !stack.layers.empty() && stack.layers.front().type == "Masking";
            for (const std::string side : {"post", "pre"}) {
                Candidate c;
                c.id = "pad-" + side + "-and-mask";
                c.description = "Pad every sequence to " + std::to_string(longest) + " steps at the " +
                                (side == "post" ? "end" : "start") + " (padding='" + side + "')" +
                                (has_masking ? "" : " and mask the padding with a leading Masking layer");
                c.stack = has_masking ? stack : stack_edits::insert_layer(stack, 0, "Masking", json{{"mask_value", 0.0}});
                c.input = TraceInput::uniform(input.shape);
                c.input.shape[axis] = longest;
                c.data_change = DataChange{DataChange::Kind::Pad, "pad to " + std::to_string(longest) + " steps (" + side + ")",
                                           c.input.shape, longest, side};
                c.score = side == "post" ? 100 : 95;
                out.push_back(std::move(c));
            }
            Candidate t;
            t.id = "truncate";
            t.description = "Truncate every sequence to the shortest, " + std::to_string(shortest) +
                            " steps (drops data from the longer ones)";
            t.stack = stack;
            t.input = TraceInput::uniform(input.shape);
            t.input.shape[axis] = shortest;
            t.data_change = DataChange{DataChange::Kind::Truncate, "truncate to " + std::to_string(shortest) + " steps",
                                       t.input.shape, shortest, "post"};
            t.score = 40;
            out.push_back(std::move(t));
            return;
        }
        case MistakeKind::TransposedInput: transposition_fixes(stack, input, out); return;
        case MistakeKind::ChannelMismatch: {
            Candidate c;
            c.id = "set-input-shape";
            c.stack = stack;
            // The data's sizes; settle_declared_shape reopens what the stack leaves open.
            c.stack.input_shape = input.shape;
            (*c.stack.input_shape)[0] = kAnyDim;
            c.description = "Declare the input shape the data has, " + shape_text(*c.stack.input_shape);
            c.declares_from_data = true;
            c.input = input;
            c.score = 75;
            out.push_back(std::move(c));
            if (stack.input_shape && input.shape.rank() == 3) {
                const int64_t expected = (*stack.input_shape)[channels_axis(stack.data_format)];
                const int64_t actual = input.shape[channels_axis(stack.data_format)];
                Candidate p;
                p.id = "project-channels";
                p.description = "Start with a 1x1 Conv1D that maps the data's " + std::to_string(actual) + " channels to the " +
                                std::to_string(expected) + " the stack was built for";
                p.stack = stack_edits::insert_layer(stack, 0, "Conv1D", json{{"filters", expected}, {"kernel_size", 1}});
                p.stack.input_shape = input.shape;
                (*p.stack.input_shape)[0] = kAnyDim;
                p.declares_from_data = true;
                p.input = input;
                p.score = 60;
                out.push_back(std::move(p));
            }
            return;
        }
        case MistakeKind::RankMismatch: add_axes_fixes(stack, input, 0, out); return;
        default: return;
    }
}

void too_short_fixes(const Stack& stack, const TraceInput& input, size_t li, const TensorType& in,
                     std::vector<Candidate>& out) {
    const LayerSpec& layer = stack.layers[li];
    const bool conv_or_pool = layer.type == "Conv1D" || layer.type == "DepthwiseConv1D" ||
                              layer.type == "SeparableConv1D" || layer.type == "MaxPooling1D" ||
                              layer.type == "AveragePooling1D";
    if (conv_or_pool) {
        Candidate c;
        c.id = "padding-same";
        c.description = "Use padding='same' in " + layer.type + " \"" + layer.name + "\" so it keeps the length";
        c.stack = stack_edits::set_param(stack, li, "padding", "same");
        c.input = input;
        c.score = 85;
        out.push_back(std::move(c));
    }
    if (auto min_len = minimum_input_length(stack, input); min_len && input.shape.rank() == 3) {
        const int64_t axis = length_axis(stack.data_format);
        const int64_t have = input.shape[axis];
        if (*min_len > have) {
            Candidate c;
            c.id = "pad-input";
            c.description = "Pad the sequences from " + std::to_string(have) + " to at least " + std::to_string(*min_len) +
                            " steps (in the stack: start with ZeroPadding1D((0, " + std::to_string(*min_len - have) + ")))";
            c.stack = stack_edits::insert_layer(stack, 0, "ZeroPadding1D", json{{"padding", {0, *min_len - have}}});
            c.input = input;
            Shape padded = input.shape;
            padded[axis] = *min_len;
            c.data_change = DataChange{DataChange::Kind::Pad, "pad to " + std::to_string(*min_len) + " steps (post)",
                                       padded, *min_len, "post"};
            c.score = 70;
            out.push_back(std::move(c));
        }
    }
    // Shrink the reach to what the (padded) input allows: d*(k-1) + 1 <= L_padded.
    if (in.rank() == 3 && (layer.params.contains("kernel_size") || layer.params.contains("pool_size"))) {
        const int64_t length = in.shape[length_axis(stack.data_format)];
        const std::string key = layer.params.contains("kernel_size") ? "kernel_size" : "pool_size";
        const int64_t k = layer.params[key].get<int64_t>();
        const int64_t d = layer.params.value("dilation_rate", 1);
        const auto pad = layer_support::parse_padding(layer.params.value("padding", json("valid")));
        const int64_t added = pad.mode == layer_support::PaddingSpec::Mode::Explicit ? pad.left + pad.right : 0;
        const int64_t room = length + added;
        if (room >= 1) {
            const int64_t k_fit = (room - 1) / d + 1;
            if (k_fit >= 1 && k_fit < k) {
                Candidate c;
                c.id = "reduce-" + key;
                c.description = "Reduce " + key + " of \"" + layer.name + "\" from " + std::to_string(k) + " to " +
                                std::to_string(k_fit) + " so it fits " + std::to_string(length) + " steps";
                c.stack = stack_edits::set_param(stack, li, key, k_fit);
                c.input = input;
                c.score = 50;
                out.push_back(std::move(c));
            }
            if (d > 1 && k > 1) {
                const int64_t d_fit = (room - 1) / (k - 1);
                if (d_fit >= 1 && d_fit < d) {
                    Candidate c;
                    c.id = "reduce-dilation";
                    c.description = "Reduce dilation_rate of \"" + layer.name + "\" from " + std::to_string(d) + " to " +
                                    std::to_string(d_fit);
                    c.stack = stack_edits::set_param(stack, li, "dilation_rate", d_fit);
                    c.input = input;
                    c.score = 45;
                    out.push_back(std::move(c));
                }
            }
        }
    }
    if (layer.type == "Cropping1D") {
        Candidate c;
        c.id = "remove-cropping";
        c.description = "Crop nothing in \"" + layer.name + "\"";
        c.stack = stack_edits::set_param(stack, li, "cropping", 0);
        c.input = input;
        c.score = 40;
        out.push_back(std::move(c));
    }
}

void dense_fixes(const Stack& stack, const TraceInput& input, size_t li, const TensorType& in, std::vector<Candidate>& out) {
    const LayerSpec& layer = stack.layers[li];
    // -1: in_features not declared (inferred from the input, as Keras does).
    const int64_t declared = layer.params.contains("in_features") && !layer.params["in_features"].is_null()
                                 ? layer.params["in_features"].get<int64_t>()
                                 : -1;
    if (in.rank() >= 3) {
        int64_t flattened = 1;
        for (int64_t i = 1; i < in.rank(); ++i) flattened *= in.shape[i];
        Candidate f;
        f.id = "insert-flatten";
        f.description = "Insert Flatten before \"" + layer.name + "\" (" + std::to_string(flattened) + " features)";
        f.stack = stack_edits::insert_layer(stack, li, "Flatten");
        if (declared >= 0 && declared != flattened) {
            f.stack = stack_edits::set_param(f.stack, li + 1, "in_features", flattened);
            f.description += " and set its in_features to " + std::to_string(flattened);
        }
        f.input = input;
        f.score = declared == flattened ? 95 : 75;
        out.push_back(std::move(f));
        if (in.rank() == 3) {
            const int64_t channels = in.shape[channels_axis(stack.data_format)];
            Candidate g;
            g.id = "insert-global-pooling";
            g.description = "Insert GlobalAveragePooling1D before \"" + layer.name + "\" (" + std::to_string(channels) +
                            " features, any length)";
            g.stack = stack_edits::insert_layer(stack, li, "GlobalAveragePooling1D");
            if (declared >= 0 && declared != channels) {
                g.stack = stack_edits::set_param(g.stack, li + 1, "in_features", channels);
                g.description += " and set its in_features to " + std::to_string(channels);
            }
            g.input = input;
            g.score = declared == flattened ? 80 : 85;
            out.push_back(std::move(g));
        }
    }
    if (declared >= 0) {
        Candidate s;
        s.id = "set-in-features";
        s.description = "Set in_features of \"" + layer.name + "\" to " + std::to_string(in.shape[in.rank() - 1]);
        s.stack = stack_edits::set_param(stack, li, "in_features", in.shape[in.rank() - 1]);
        s.input = input;
        s.score = in.rank() == 2 ? 85 : 30;
        out.push_back(std::move(s));
    }
}

void channel_fixes(const Stack& stack, const TraceInput& input, size_t li, const TensorType& in, const ShapeError& e,
                   std::vector<Candidate>& out) {
    const LayerSpec& layer = stack.layers[li];
    const auto field = stack_edits::declared_size_field(layer.type);
    const bool is_first = static_cast<int64_t>(li) == first_enabled_index(stack);
    if (e.kind == MistakeKind::TransposedInput && is_first) transposition_fixes(stack, input, out);
    if (!field.empty() && e.axis >= 0) {
        const int64_t actual = in.shape[e.axis];
        Candidate c;
        c.id = "set-" + std::string(field);
        c.description = "Set " + std::string(field) + " of \"" + layer.name + "\" to " + std::to_string(actual) +
                        " (what its input has)";
        c.stack = stack_edits::set_param(stack, li, std::string(field), actual);
        c.input = input;
        c.score = e.kind == MistakeKind::TransposedInput ? 40 : 80;
        out.push_back(std::move(c));
    }
    if (in.rank() == 3 && field == "in_channels" && layer.params.contains(std::string(field))) {
        const int64_t expected = layer.params[std::string(field)].get<int64_t>();
        const int64_t actual = in.shape[channels_axis(stack.data_format)];
        Candidate p;
        p.id = "project-channels";
        p.description = "Insert a 1x1 Conv1D before \"" + layer.name + "\" mapping " + std::to_string(actual) +
                        " channels to " + std::to_string(expected);
        p.stack = stack_edits::insert_layer(stack, li, "Conv1D", json{{"filters", expected}, {"kernel_size", 1}});
        p.input = input;
        p.score = e.kind == MistakeKind::TransposedInput ? 30 : 60;
        out.push_back(std::move(p));
    }
}

void invalid_parameter_fixes(const Stack& stack, const TraceInput& input, size_t li, const TensorType& in,
                             std::vector<Candidate>& out) {
    const LayerSpec& layer = stack.layers[li];
    auto add = [&](std::string id, std::string description, Stack s, int score) {
        out.push_back({std::move(id), std::move(description), std::move(s), input, std::nullopt, score});
    };
    const int64_t groups = layer.params.value("groups", 1);
    if (groups > 1 && in.rank() == 3) {
        const int64_t channels = in.shape[channels_axis(stack.data_format)];
        const int64_t filters = layer.params.value("filters", channels);
        const int64_t g = std::gcd(std::gcd(channels, filters), groups);
        add("set-groups", "Set groups of \"" + layer.name + "\" to " + std::to_string(g) + " (divides " +
                              std::to_string(channels) + " channels and " + std::to_string(filters) + " filters)",
            stack_edits::set_param(stack, li, "groups", g), 70);
    }
    const int64_t stride = layer.params.value("strides", 1);
    const int64_t dilation = layer.params.value("dilation_rate", 1);
    const json padding = layer.params.value("padding", json("valid"));
    if (padding == "same" && stride > 1 && stack.data_format == DataFormat::ChannelsFirst && in.rank() == 3 &&
        layer.params.contains("kernel_size")) {
        const int64_t extent = layer_support::dilated_extent(layer.params["kernel_size"].get<int64_t>(), dilation);
        const auto pad = layer_support::resolve_padding({layer_support::PaddingSpec::Mode::Same, 0, 0},
                                                        in.shape[length_axis(stack.data_format)], extent, stride);
        add("explicit-same-padding",
            "Give \"" + layer.name + "\" explicit padding [" + std::to_string(pad.left) + ", " +
                std::to_string(pad.right) + "] (Keras' 'same' for this length)",
            stack_edits::set_param(stack, li, "padding", json{pad.left, pad.right}), 80);
        add("stride-1", "Use strides=1 in \"" + layer.name + "\"", stack_edits::set_param(stack, li, "strides", 1), 50);
    }
    if (stride > 1 && dilation > 1) {
        add("dilation-1", "Use dilation_rate=1 in \"" + layer.name + "\"",
            stack_edits::set_param(stack, li, "dilation_rate", 1), 70);
        add("stride-1", "Use strides=1 in \"" + layer.name + "\"", stack_edits::set_param(stack, li, "strides", 1), 60);
    }
    if (padding == "causal" && layer.type != "Conv1D")
        add("padding-same", "Use padding='same' in \"" + layer.name + "\"",
            stack_edits::set_param(stack, li, "padding", "same"), 60);
    if ((layer.type == "MaxPooling1D" || layer.type == "AveragePooling1D") && !padding.is_string()) {
        const int64_t extent = layer.params.value("pool_size", 2) * layer.params.value("dilation_rate", 1);
        add("limit-pool-padding", "Pad \"" + layer.name + "\" by at most half its window (" + std::to_string(extent / 2) + ")",
            stack_edits::set_param(stack, li, "padding", extent / 2), 60);
    }
    if (layer.type == "Permute" && in.rank() == 3)
        add("permute-swap", "Set dims of \"" + layer.name + "\" to [2, 1]",
            stack_edits::set_param(stack, li, "dims", json{2, 1}), 50);
}

void reshape_fixes(const Stack& stack, const TraceInput& input, size_t li, const TensorType& in, std::vector<Candidate>& out) {
    const LayerSpec& layer = stack.layers[li];
    out.push_back({"replace-with-flatten", "Replace Reshape \"" + layer.name + "\" with Flatten",
                   stack_edits::replace_layer(stack, li, "Flatten", json::object()), input, std::nullopt, 60});
    int64_t elements = 1;
    for (int64_t i = 1; i < in.rank(); ++i) elements *= in.shape[i];
    // Change one fixed entry to the nearest value that divides the element count.
    auto target = layer.params["target_shape"].get<std::vector<int64_t>>();
    const bool has_free = std::find(target.begin(), target.end(), -1) != target.end();
    for (size_t i = 0; i < target.size(); ++i) {
        if (target[i] == -1) continue;
        int64_t rest = 1;
        for (size_t j = 0; j < target.size(); ++j)
            if (j != i && target[j] != -1) rest *= target[j];
        if (rest <= 0 || elements % rest != 0) continue;
        const int64_t room = elements / rest;
        int64_t best = has_free ? 0 : room;
        if (has_free)
            for (int64_t d = 1; d * d <= room; ++d)
                if (room % d == 0)
                    for (int64_t c : {d, room / d})
                        if (best == 0 || std::abs(c - target[i]) < std::abs(best - target[i])) best = c;
        if (best == target[i]) continue;
        auto fixed = target;
        fixed[i] = best;
        out.push_back({"adjust-target-shape",
                       "Reshape \"" + layer.name + "\" to " + json(fixed).dump() + " (" + std::to_string(elements) +
                           " values per example)",
                       stack_edits::set_param(stack, li, "target_shape", fixed), input, std::nullopt, 70});
        break;
    }
}

std::vector<Candidate> candidates(const Stack& stack, const TraceInput& input, const Trace& failing) {
    std::vector<Candidate> out;
    const size_t fs = *failing.failing_step;
    const TraceStep& step = failing.steps[fs];
    const ShapeError& e = *step.error;
    if (fs == 0) {
        input_step_fixes(stack, input, e, out);
        return out;
    }
    const size_t li = static_cast<size_t>(step.index);
    const TensorType& in = *step.in;
    switch (e.kind) {
        case MistakeKind::TransposedInput:
        case MistakeKind::ChannelMismatch: channel_fixes(stack, input, li, in, e, out); break;
        case MistakeKind::RankMismatch:
            if (static_cast<int64_t>(li) == first_enabled_index(stack)) add_axes_fixes(stack, input, li, out);
            break;
        case MistakeKind::SequenceTooShort: too_short_fixes(stack, input, li, in, out); break;
        case MistakeKind::DenseWrongAxis:
        case MistakeKind::FeatureMismatch:
            if (stack.layers[li].type == "Dense") dense_fixes(stack, input, li, in, out);
            else channel_fixes(stack, input, li, in, e, out);
            break;
        case MistakeKind::NonIntegerReshape: reshape_fixes(stack, input, li, in, out); break;
        case MistakeKind::InvalidParameters: invalid_parameter_fixes(stack, input, li, in, out); break;
        default: break;
    }
    return out;
}

std::string lower_first(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

std::string failure_site(const Trace& t) {
    const auto& step = t.steps[*t.failing_step];
    return step.name + "/" + std::string(to_string(step.error->kind));
}

// A fix that declares the data's shape sets only what it needs: the batch, and the length where the
// stack accepts other lengths, stay open (stack_edits::open_input_shape). A chained fix may only
// accept other lengths once its later step is applied (declare 2 channels, then set in_channels),
// so this runs on the finished candidate; the reopened stack is re-traced before it is offered.
// Fixes that reorder the declared shape (transpose, switch the layout) keep its entries as declared.
void settle_declared_shape(Candidate& c) {
    if (!c.declares_from_data || !c.stack.input_shape) return;
    const auto opened = stack_edits::open_input_shape(c.stack, c.input.shape);
    if (opened == c.stack.input_shape) return;
    Stack reopened = c.stack;
    reopened.input_shape = opened;
    if (!trace_stack(reopened, c.input, TraceOptions{false, false}).ok()) return;
    const std::string before = shape_text(*c.stack.input_shape);
    if (const auto at = c.description.find(before); at != std::string::npos)
        c.description.replace(at, before.size(), shape_text(*opened));
    c.stack = std::move(reopened);
}

std::vector<Fix> verified_fixes(const Stack& stack, const TraceInput& input, const Trace& failing, int depth) {
    const TraceOptions quick{false, false};
    std::vector<Candidate> accepted;
    for (auto& c : candidates(stack, input, failing)) {
        Trace retrace = trace_stack(c.stack, c.input, quick);
        if (retrace.ok()) {
            accepted.push_back(std::move(c));
            continue;
        }
        // The fix cleared this failure but revealed the next: chain the best fix for that one.
        if (depth >= 2 || failure_site(retrace) == failure_site(failing)) continue;
        auto follow = verified_fixes(c.stack, c.input, retrace, depth + 1);
        if (follow.empty()) continue;
        Fix& next = follow.front();
        c.id += "+" + next.id;
        c.description += "; then " + lower_first(next.description);
        c.stack = std::move(next.stack);
        c.input = std::move(next.traced_on);
        if (!c.data_change) c.data_change = next.data_change;
        c.score -= 15;
        accepted.push_back(std::move(c));
    }
    for (auto& c : accepted) settle_declared_shape(c);
    std::stable_sort(accepted.begin(), accepted.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    std::vector<Fix> fixes;
    for (auto& c : accepted) {
        const bool duplicate = std::any_of(fixes.begin(), fixes.end(), [&](const Fix& f) {
            const std::string a = f.data_change ? f.data_change->description : "";
            const std::string b = c.data_change ? c.data_change->description : "";
            return f.stack == c.stack && f.traced_on.shape == c.input.shape && a == b;
        });
        if (duplicate) continue;
        fixes.push_back(Fix{std::move(c.id), std::move(c.description), std::move(c.stack), std::move(c.data_change),
                            std::move(c.input)});
        if (fixes.size() == 6) break;
    }
    return fixes;
}

}  // namespace

std::vector<Fix> propose_fixes(const Stack& stack, const TraceInput& input, const Trace& failing) {
    if (!failing.failing_step) return {};
    return verified_fixes(stack, input, failing, 0);
}

std::optional<int64_t> minimum_input_length(const Stack& stack, const TraceInput& input) {
    if (input.shape.rank() != 3) return std::nullopt;
    // The data's length axis is the one the stack reads as length (through leading Permutes).
    const auto axes = input_axes(stack);
    if (!axes) return std::nullopt;
    const int64_t axis = axes->length;
    const TraceOptions quick{false, false};
    // The question is which lengths would work, so a declared length does not count.
    Stack open_length = stack;
    if (open_length.input_shape && open_length.input_shape->rank() == 3) (*open_length.input_shape)[axis] = kAnyDim;
    auto too_short = [&](int64_t length) {
        TraceInput probe = TraceInput::uniform(input.shape);
        probe.shape[axis] = length;
        Trace t = trace_stack(open_length, probe, quick);
        return t.error() && t.error()->kind == MistakeKind::SequenceTooShort;
    };
    // Output lengths grow with the input length, so "too short" holds below a threshold: bisect it.
    int64_t hi = std::max<int64_t>(input.shape[axis], 1);
    while (too_short(hi)) {
        if (hi > limits::kMaxDimension) return std::nullopt;
        hi *= 2;
    }
    {
        // Only meaningful when length is what stands between the stack and a pass.
        TraceInput probe = TraceInput::uniform(input.shape);
        probe.shape[axis] = hi;
        if (!trace_stack(open_length, probe, quick).ok()) return std::nullopt;
    }
    int64_t lo = 0;  // too short (or nothing) at lo, fine at hi
    while (hi - lo > 1) {
        const int64_t mid = lo + (hi - lo) / 2;
        (too_short(mid) ? lo : hi) = mid;
    }
    return hi;
}

}  // namespace convscope
