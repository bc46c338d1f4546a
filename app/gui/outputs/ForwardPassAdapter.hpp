// Folder outputs/: turns the stack and the data into the plain plot data the views show (the GUI's seam to the engine's forward pass); includes stack/ and plots/.
// The seam between the views and the numeric engine. Everything that turns the
// dataset and the stack into plot data lives here; the views take plain data.
// Until the engine's forward pass exists, layer outputs report "not available"
// and only what follows from the data and the trace is computed.
#pragma once

#include <QString>
#include <optional>

#include "plots/PlotData.hpp"
#include "stack/StackDocument.hpp"
#include "data/dataset.hpp"
#include "diagnosis/shape_trace.hpp"
#include "forward/stack_weights.hpp"

namespace ForwardPassAdapter {

// True once the engine can run a stack on data.
bool available();
QString unavailableReason();

// Whether sequence i of the dataset must be transposed to be seen the way the
// stack sees it: 3-D arrays are fed as stored, so a channels_first stack reads
// (N, A, B) as A channels of B steps; a transpose of the data, or a stack that
// starts with Permute((2, 1)), swaps once more.
bool displayTransposed(const convscope::data::Dataset& dataset, const DocumentState& state);

// The stored axis (1 or 2) of a 3-D array that the stack reads as length, when a fix (a
// transpose of the data or a leading Permute((2, 1))) made the stack's reading the one the
// data panel shows; nullopt otherwise (the engine's layout guess stands). The engine's
// input_axes rule through the data change.
std::optional<int> fixedReadingLengthAxis(const convscope::data::Dataset& dataset, const DocumentState& state);

// Whether the data panel's reading swaps the Dataset's steps and channels: after such a
// fix the stack's reading, before it the engine's layout guess (data/sequence_reading.hpp).
bool panelTransposed(const convscope::data::Dataset& dataset, const DocumentState& state);

// Sequence `index` as the data panel reads it, for the sequence plot. When the stack reads
// it the same way, padded per `padding` when given (as sequenceForDisplay); when the stack
// reads it the other way round, unpadded and with `readingNote` saying how the stack reads it.
SequenceData sequenceAsRead(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                            const PaddingSettings* padding);

// Sequence `index` as the stack sees it, padded per `padding` when given.
SequenceData sequenceForDisplay(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                                const PaddingSettings* padding);

// Keras pad_sequences on one sequence; marks padded (and, with masking, masked) steps.
SequenceData padSequence(const SequenceData& in, int64_t maxlen, const PaddingSettings& settings);

// The output of trace step `step` (0 is the input itself) as channels x steps,
// or nullopt with `why`.
std::optional<SeriesMatrix> layerOutput(const convscope::data::Dataset& dataset, int64_t index,
                                        const DocumentState& state, const convscope::Trace& trace, int step,
                                        QString* why);

SeriesMatrix toMatrix(const SequenceData& seq, const QString& title);

// The padding preview (the engine's preview_padding) of the layer at trace step
// `step`, or of the last layer when `step` is the input. `weights` null: the seeded
// Keras initialiser. The engine's error is in unavailableReason.
PaddingResult paddingPreview(const convscope::data::Dataset& dataset, int64_t index, const DocumentState& state,
                             const convscope::Trace& trace, int step, const PaddingSettings& settings,
                             const convscope::StackWeights* weights = nullptr);

// The input steps output step `outStep` of trace step `step` depends on
// (receptive-field arithmetic; an estimate for padded convolutions).
std::pair<int64_t, int64_t> receptiveWindow(const convscope::Trace& trace, int step, int64_t outStep,
                                            int64_t inputLength);

int64_t longestLength(const convscope::data::Dataset& dataset, const DocumentState& state);

}  // namespace ForwardPassAdapter
