#include "outputs/ForwardPassAdapter.hpp"

#include <QObject>
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/memory_budget.hpp"
#include "data/dataset_inspector.hpp"
#include "data/sequence_reading.hpp"
#include "diagnosis/input_axes.hpp"
#include "forward/forward_pass.hpp"
#include "forward/padding_preview.hpp"
#include "forward/stack_weights.hpp"
#include "forward/work_estimate.hpp"

using convscope::AxisRole;
using convscope::DataChange;
using convscope::DataFormat;

namespace ForwardPassAdapter {

namespace {

int64_t lengthOf(const std::optional<convscope::TensorType>& t) {
    if (!t) return -1;
    const int64_t l = t->dim(AxisRole::Length);
    return l;
}
}  // namespace

bool available() { return true; }

QString unavailableReason() {
    return QObject::tr("The forward pass did not run.");
}

namespace {

// Sequence `index` as the stack is fed it, batch of 1: arrays as stored (a
// transpose fix swapped), other sources in the stack's layout, padded when a fix
// padded the data.
convscope::Tensor inputTensor(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state) {
    convscope::data::Sequence seq = dataset.sequence(index);
    const auto shape = dataset.array_shape();
    if (state.dataChange && (state.dataChange->kind == DataChange::Kind::Pad ||
                             state.dataChange->kind == DataChange::Kind::Truncate) && state.dataChange->maxlen > 0) {
        SequenceData d;
        d.length = seq.length;
        d.channels = int(seq.channels);
        d.values = seq.values;
        PaddingSettings ps;
        ps.maxlen = int(state.dataChange->maxlen);
        ps.padding = ps.truncating = QString::fromStdString(state.dataChange->side);
        d = padSequence(d, ps.maxlen, ps);
        seq.length = d.length;
        seq.values = std::move(d.values);
    }
    if (shape && shape->size() == 3) {
        convscope::Tensor t(convscope::Shape{1, seq.length, seq.channels}, std::move(seq.values));
        if (state.dataChange && state.dataChange->kind == DataChange::Kind::Transpose) t = convscope::transpose_last_two(t);
        return t;
    }
    if (shape && shape->size() <= 2 && !(state.dataChange && state.dataChange->kind == DataChange::Kind::AddChannelAxis))
        return convscope::Tensor(convscope::Shape{1, seq.length}, std::move(seq.values));
    return convscope::sequence_tensor(seq, state.stack.data_format);
}

// A layer's value (batch 1) as rows x steps, using the trace's axis roles.
SeriesMatrix toSeries(const convscope::Tensor& v, const convscope::TensorType& type, const QString& title) {
    SeriesMatrix m;
    m.title = title;
    const int64_t la = type.axis_of(AxisRole::Length);
    int64_t ca = type.axis_of(AxisRole::Channels);
    if (ca < 0) ca = type.axis_of(AxisRole::Features);
    if (v.shape.rank() == 3 && la > 0 && ca > 0) {
        m.rows = int(v.shape[ca]);
        m.steps = v.shape[la];
        m.values.resize(size_t(m.rows) * size_t(m.steps));
        for (int64_t t = 0; t < m.steps; ++t)
            for (int c = 0; c < m.rows; ++c)
                m.values[size_t(c * m.steps + t)] = la == 1 ? v.at(0, t, c) : v.at(0, c, t);
    } else {
        // Flat (batch, features) or anything else: one step per element.
        m.rows = 1;
        m.steps = v.size();
        m.values = v.data;
    }
    return m;
}

}  // namespace

bool displayTransposed(const convscope::data::Dataset& dataset, const DocumentState& state) {
    const auto shape = dataset.array_shape();
    bool t = shape && shape->size() == 3 && state.stack.data_format == DataFormat::ChannelsFirst;
    if (state.dataChange && state.dataChange->kind == DataChange::Kind::Transpose) t = !t;
    // A stack that starts by swapping the axes (Permute((2, 1))) convolves the
    // transposed data: show it the way the convolutions see it (the engine's rule).
    if (convscope::reads_input_swapped(state.stack)) t = !t;
    return t;
}

namespace {

SequenceData sequenceRead(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                          const PaddingSettings* padding, bool transposed) {
    SequenceData out;
    if (index < 0 || index >= dataset.size()) return out;
    convscope::data::Sequence seq = dataset.sequence(index);
    out.name = QString::fromStdString(seq.name);
    if (transposed) {
        out.length = seq.channels;
        out.channels = int(seq.length);
        out.values.resize(seq.values.size());
        for (int64_t l = 0; l < seq.length; ++l)
            for (int64_t c = 0; c < seq.channels; ++c)
                out.values[size_t(c * seq.length + l)] = seq.values[size_t(l * seq.channels + c)];
    } else {
        out.length = seq.length;
        out.channels = int(seq.channels);
        out.values = std::move(seq.values);
        for (const auto& n : dataset.channel_names()) out.channelNames << QString::fromStdString(n);
    }
    if (state.dataChange && (state.dataChange->kind == DataChange::Kind::Pad ||
                             state.dataChange->kind == DataChange::Kind::Truncate) && state.dataChange->maxlen > 0) {
        // A fix padded (or cut) the data: show it that way.
        PaddingSettings s = padding ? *padding : PaddingSettings{};
        s.maxlen = int(state.dataChange->maxlen);
        if (state.dataChange->kind == DataChange::Kind::Pad) s.padding = QString::fromStdString(state.dataChange->side);
        else s.truncating = QString::fromStdString(state.dataChange->side);
        return padSequence(out, s.maxlen, s);
    }
    if (padding) {
        const int64_t maxlen = padding->maxlen > 0 ? padding->maxlen : longestLength(dataset, state);
        return padSequence(out, maxlen, *padding);
    }
    return out;
}

}  // namespace

std::optional<int> fixedReadingLengthAxis(const convscope::data::Dataset& dataset, const DocumentState& state) {
    const auto s = dataset.array_shape();
    if (!s || s->size() != 3) return std::nullopt;
    const bool transposedData = state.dataChange && state.dataChange->kind == DataChange::Kind::Transpose;
    if (!transposedData && !convscope::reads_input_swapped(state.stack)) return std::nullopt;
    const auto axes = convscope::input_axes(state.stack);
    if (!axes) return std::nullopt;
    return int(transposedData ? 3 - axes->length : axes->length);
}

bool panelTransposed(const convscope::data::Dataset& dataset, const DocumentState& state) {
    const auto s = dataset.array_shape();
    if (!s || s->size() != 3) return false;  // collections and flatter arrays: as loaded
    if (const auto axis = fixedReadingLengthAxis(dataset, state)) return *axis == 2;
    return convscope::data::read_dataset(dataset, convscope::data::guess_layout(dataset)).steps_are_channels;
}

SequenceData sequenceAsRead(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                            const PaddingSettings* padding) {
    const bool shown = panelTransposed(dataset, state);
    const bool stack = displayTransposed(dataset, state);
    if (shown == stack) return sequenceRead(dataset, index, state, padding, shown);
    // The stack reads the other axis as length: padding, and the receptive fields of its
    // layers, are in its steps, not these; show the data as it is and say how the stack reads it.
    SequenceData out = sequenceRead(dataset, index, state, nullptr, shown);
    if (!out.empty())
        out.readingNote = QObject::tr("the stack reads it as %1 steps × %2 channels").arg(out.channels).arg(out.length);
    return out;
}

SequenceData sequenceForDisplay(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                                const PaddingSettings* padding) {
    return sequenceRead(dataset, index, state, padding, displayTransposed(dataset, state));
}

int64_t longestLength(const convscope::data::Dataset& dataset, const DocumentState& state) {
    const bool t = displayTransposed(dataset, state);
    int64_t longest = 0;
    for (int64_t i = 0; i < dataset.size(); ++i)
        longest = std::max(longest, t ? dataset.channels() : dataset.length(i));
    return longest;
}

SequenceData padSequence(const SequenceData& in, int64_t maxlen, const PaddingSettings& s) {
    SequenceData out;
    out.name = in.name;
    out.channels = in.channels;
    out.channelNames = in.channelNames;
    if (maxlen <= 0 || in.channels == 0) return in;
    out.length = maxlen;
    out.values.assign(size_t(maxlen * in.channels), float(s.value));
    out.padded.assign(size_t(maxlen), 1);
    const int64_t kept = std::min(in.length, maxlen);
    const int64_t srcFirst = (s.truncating == "pre") ? in.length - kept : 0;
    const int64_t dstFirst = (s.padding == "pre") ? maxlen - kept : 0;
    for (int64_t t = 0; t < kept; ++t) {
        std::copy_n(in.values.begin() + (srcFirst + t) * in.channels, in.channels,
                    out.values.begin() + (dstFirst + t) * in.channels);
        out.padded[size_t(dstFirst + t)] = 0;
    }
    if (s.masking) {
        // Keras' Masking hides every step whose channels all equal the mask value,
        // real steps included.
        out.masked.assign(size_t(maxlen), 0);
        for (int64_t t = 0; t < maxlen; ++t) {
            bool all = true;
            for (int c = 0; c < in.channels && all; ++c) all = out.values[size_t(t * in.channels + c)] == float(s.value);
            out.masked[size_t(t)] = all ? 1 : 0;
        }
    }
    return out;
}

SeriesMatrix toMatrix(const SequenceData& seq, const QString& title) {
    SeriesMatrix m;
    m.title = title;
    m.rows = seq.channels;
    m.steps = seq.length;
    m.values.resize(size_t(m.rows) * size_t(m.steps));
    for (int64_t t = 0; t < seq.length; ++t)
        for (int c = 0; c < seq.channels; ++c) m.values[size_t(c * seq.length + t)] = seq.at(t, c);
    return m;
}

std::optional<SeriesMatrix> layerOutput(const convscope::data::Dataset& dataset, int64_t index,
                                        const DocumentState& state, const convscope::Trace& trace, int step,
                                        QString* why) {
    if (step == 0) {
        SequenceData seq = sequenceForDisplay(dataset, index, state, nullptr);
        if (seq.empty()) {
            if (why) *why = QObject::tr("No sequence selected.");
            return std::nullopt;
        }
        return toMatrix(seq, QObject::tr("Input — %1").arg(seq.name));
    }
    if (step < 0 || step >= int(trace.steps.size())) {
        if (why) *why = QObject::tr("Select a step in the shape flow.");
        return std::nullopt;
    }
    const auto& ts = trace.steps[size_t(step)];
    if (!trace.ok()) {
        if (why) *why = QObject::tr("Layer outputs need a stack whose shapes fit: fix the red axis first.");
        return std::nullopt;
    }
    if (!ts.enabled) {
        if (why) *why = QObject::tr("%1 is disabled: it has no output of its own.").arg(QString::fromStdString(ts.name));
        return std::nullopt;
    }
    try {
        const convscope::Tensor input = inputTensor(dataset, index, state);
        // The estimate convscope-cli run makes: a stack too large for this machine is a
        // message naming the layer, not an exhausted machine.
        const auto inputTrace =
            convscope::trace_stack(state.stack, convscope::TraceInput::uniform(input.shape), {false, false});
        if (inputTrace.ok()) {
            auto work = convscope::estimate_work(state.stack, inputTrace);
            convscope::Status fits = work ? convscope::Status{convscope::Ok{}} : convscope::Status{work.error()};
            if (work) {
                const auto* largest = work->largest_output();
                fits = convscope::check_fits_in_memory(
                    work->peak_bytes_layer_by_layer,
                    "The forward pass" + (largest ? " (largest output: layer \"" + largest->name + "\", " +
                                                        convscope::byte_size_text(largest->output_bytes) + ")"
                                                  : std::string()),
                    convscope::memory_budget(std::nullopt), "use a shorter sequence or a smaller stack");
            }
            if (!fits) {
                if (why) *why = QString::fromStdString(fits.error().message);
                return std::nullopt;
            }
        }
        // Untrained weights (Keras initialisation, seed 0) until a weights file is loaded.
        // Seeded for the stack as it is now, on this input: the window's trace may be of an
        // earlier edit with the same layer names (other filters, another input axis).
        const auto weights = convscope::initialise_weights(state.stack, inputTrace.ok() ? inputTrace : trace,
                                                           convscope::InitScheme::Keras, 0);
        auto result = convscope::run_forward(state.stack, input, weights);
        if (!result) {
            if (why) *why = QString::fromStdString(result.error().message);
            return std::nullopt;
        }
        for (const auto& out : result.value().outputs) {
            if (out.index != ts.index) continue;
            if (!ts.out) break;
            return toSeries(out.value, *ts.out,
                            QObject::tr("%1 (%2) — untrained weights").arg(QString::fromStdString(ts.name),
                                                                          QString::fromStdString(ts.type)));
        }
        if (why) *why = QObject::tr("The forward pass produced no output for %1.").arg(QString::fromStdString(ts.name));
    } catch (const std::exception& e) {
        if (why) *why = QString::fromUtf8(e.what());
    }
    return std::nullopt;
}

std::pair<int64_t, int64_t> receptiveWindow(const convscope::Trace& trace, int step, int64_t outStep,
                                            int64_t inputLength) {
    if (step <= 0 || step >= int(trace.steps.size())) return {outStep, outStep};
    const auto& s = trace.steps[size_t(step)];
    const auto& rf = s.receptive_field;
    if (rf.whole) return {0, inputLength - 1};
    // The length the convolutions read: the sequence as shown (after any Permute).
    const int64_t lin = inputLength;
    const int64_t lout = lengthOf(s.out);
    int64_t offset = 0;
    if (lin > 0 && lout > 0) {
        const double span = double(lout - 1) * rf.jump + double(rf.steps);
        offset = std::max<int64_t>(0, int64_t(std::floor((span - double(lin)) / 2.0)));
    }
    int64_t first = int64_t(std::floor(double(outStep) * rf.jump)) - offset;
    int64_t last = first + rf.steps - 1;
    first = std::clamp<int64_t>(first, 0, std::max<int64_t>(0, inputLength - 1));
    last = std::clamp<int64_t>(last, 0, std::max<int64_t>(0, inputLength - 1));
    return {first, last};
}

namespace {

// A preview output (batch 1, in `format`) as rows x steps: rank 3 is (1, L, C) or
// (1, C, L); anything flatter is one step of features.
SeriesMatrix previewSeries(const convscope::Tensor& v, DataFormat format, const QString& title) {
    SeriesMatrix m;
    m.title = title;
    if (v.shape.rank() == 3) {
        const bool last = format != DataFormat::ChannelsFirst;
        m.rows = int(last ? v.shape[2] : v.shape[1]);
        m.steps = last ? v.shape[1] : v.shape[2];
        m.values.resize(size_t(m.rows) * size_t(m.steps));
        for (int64_t t = 0; t < m.steps; ++t)
            for (int c = 0; c < m.rows; ++c) m.values[size_t(c * m.steps + t)] = last ? v.at(0, t, c) : v.at(0, c, t);
    } else {
        m.rows = int(v.size());
        m.steps = 1;
        m.values = v.data;
    }
    return m;
}

std::vector<double> toDoubles(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

}  // namespace

PaddingResult paddingPreview(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                             const convscope::Trace& trace, int step, const PaddingSettings& settings,
                             const convscope::StackWeights* weights) {
    PaddingResult r;
    if (index < 0 || index >= dataset.size()) {
        r.unavailableReason = QObject::tr("Open a data file to preview padding and masking.");
        return r;
    }
    // The sequence as the stack sees it: a transpose fix, a channels_first stack reading a
    // stored array, or a leading Permute swaps its axes, and the engine pads its length.
    convscope::data::Sequence seq = dataset.sequence(index);
    // The engine then puts the steps on the stored axis the stack reads as length.
    if (displayTransposed(dataset, state)) {
        convscope::data::Sequence t = seq;
        t.length = seq.channels;
        t.channels = seq.length;
        for (int64_t l = 0; l < seq.length; ++l)
            for (int64_t c = 0; c < seq.channels; ++c)
                t.values[size_t(c * seq.length + l)] = seq.values[size_t(l * seq.channels + c)];
        seq = std::move(t);
    }
    if (seq.length == 0 || seq.channels == 0) {
        r.unavailableReason = QObject::tr("The selected sequence is empty.");
        return r;
    }
    convscope::PaddingPreviewOptions options;
    if (settings.maxlen > 0) options.maxlen = settings.maxlen;
    else options.maxlen = std::max<int64_t>(seq.length, longestLength(dataset, state));
    options.padding = settings.padding == "pre" ? convscope::data::PadSide::Pre : convscope::data::PadSide::Post;
    options.truncating = settings.truncating == "pre" ? convscope::data::PadSide::Pre : convscope::data::PadSide::Post;
    options.value = float(settings.value);
    if (settings.convPaddingMode != "zeros") options.conv_padding_mode = settings.convPaddingMode.toStdString();

    auto preview = convscope::preview_padding(state.stack, seq, options, weights);
    if (!preview) {
        r.unavailableReason = QString::fromStdString(preview.error().message);
        return r;
    }
    const auto& p = preview.value();
    r.paddedSteps = p.pad_before + p.pad_after;
    // Which steps Keras' Masking would hide: every step whose channels all equal the value.
    {
        SequenceData s;
        s.length = seq.length;
        s.channels = int(seq.channels);
        s.values = seq.values;
        PaddingSettings ms = settings;
        ms.masking = true;
        const SequenceData padded = padSequence(s, p.maxlen, ms);
        for (size_t t = 0; t < padded.masked.size(); ++t) {
            r.maskedSteps += padded.masked[t];
            if (padded.masked[t] && !padded.padded[t]) ++r.maskedRealSteps;
        }
    }
    if (p.layers.empty()) {
        r.unavailableReason = QObject::tr("The stack has no enabled layer to run.");
        return r;
    }
    // The layer selected in the flow, or the last one.
    const convscope::LayerPreview* layer = &p.layers.back();
    if (step > 0 && step < int(trace.steps.size()))
        for (const auto& l : p.layers)
            if (l.index == trace.steps[size_t(step)].index) layer = &l;
    const DataFormat format = p.stack.data_format;
    r.layerTitle = QString::fromStdString(layer->name);
    if (layer->index >= 0 && layer->index < int64_t(p.stack.layers.size()))
        r.layerTitle += QStringLiteral(" (%1)").arg(QString::fromStdString(p.stack.layers[size_t(layer->index)].type));
    r.outputsAvailable = true;
    if (layer->unpadded) r.unpadded = previewSeries(*layer->unpadded, format, QObject::tr("Unpadded (%1 steps)").arg(seq.length));
    else r.unavailableReason = QObject::tr("The unpadded sequence does not fit the stack; only the padded runs are shown.");
    r.padded = previewSeries(layer->padded, format, QObject::tr("Padded to %1").arg(p.maxlen));
    r.paddedMasked = previewSeries(layer->masked, format, QObject::tr("Padded + masked"));
    r.unpaddedOffset = layer->offset;
    r.difference = toDoubles(layer->diff_padded);
    r.differenceMasked = toDoubles(layer->diff_masked);
    r.contamination.title = QObject::tr("Contamination: output steps whose receptive field touches padding");
    r.contamination.rows = 1;
    r.contamination.steps = layer->contamination.length;
    r.contamination.values.resize(size_t(layer->contamination.length));
    for (int64_t t = 0; t < layer->contamination.length; ++t)
        r.contamination.values[size_t(t)] = layer->contamination.at(0, t);
    r.contaminationEstimated = false;
    return r;
}

}  // namespace ForwardPassAdapter
