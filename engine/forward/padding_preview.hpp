// What padding and masking do to one sequence's outputs: the stack run on the
// sequence as it is, padded, and padded with masking, aligned step by step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "data/pad_sequences.hpp"
#include "forward/forward_pass.hpp"

namespace convscope {

struct PaddingPreviewOptions {
    std::optional<int64_t> maxlen;          // default: the sequence's own length
    data::PadSide padding = data::PadSide::Post;
    data::PadSide truncating = data::PadSide::Post;
    float value = 0.0f;
    std::optional<std::string> conv_padding;       // override Conv1D-family `padding`: valid | same | causal
    std::optional<std::string> conv_padding_mode;  // override `padding_mode`: zeros | reflect | replicate | circular
};

struct LayerPreview {
    int64_t index = 0;
    std::string name;
    std::optional<Tensor> unpadded;  // batch of 1; nullopt when the unpadded sequence does not fit the stack
    Tensor padded;
    Tensor masked;
    // Padded output step t shows unpadded output step t - offset.
    int64_t offset = 0;
    // Per padded output step: the largest |padded - unpadded| over channels (NaN where the
    // step has no unpadded counterpart); likewise for the masked run.
    std::vector<float> diff_padded;
    std::vector<float> diff_masked;
    StepMask contamination;  // padded run: 1 = the step's receptive field touches padding
};

struct PaddingPreview {
    int64_t original_length = 0;
    int64_t maxlen = 0;
    int64_t pad_before = 0, pad_after = 0;  // steps added
    int64_t cut_before = 0, cut_after = 0;  // steps truncated
    StepMask input_padding;                  // 1 x maxlen: the padded steps
    Stack stack;                              // with the overrides applied
    std::vector<LayerPreview> layers;
};

// `sequence` is as the stack sees it (its length is what the stack reads as length);
// its steps are fed on the stored axis the stack reads as length (input_axes: a leading
// Permute((2, 1)) moves it), so padding always lengthens the sequence, never its channels.
// `weights` null: Keras initialisation with seed 0; given weights that do not fit the
// stack are an error naming the layer and both sizes. Errors: the padded sequence does not
// fit the stack (the message is the trace's), or weights do not match.
Result<PaddingPreview> preview_padding(const Stack& stack, const data::Sequence& sequence,
                                       const PaddingPreviewOptions& options, const StackWeights* weights = nullptr);

// The sequence as a (1, length, channels) or (1, channels, length) tensor in `format`.
Tensor sequence_tensor(const data::Sequence& sequence, DataFormat format);

}  // namespace convscope
