// The interface every layer type implements, one file per type (conv1d.cpp,
// max_pooling1d.cpp, ...): its parameter schema, its shape rule with the
// failure it reports, its parameter count and its effect on the receptive field.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layers/layer_forward.hpp"
#include "layers/layer_spec.hpp"
#include "layers/param_info.hpp"
#include "tensor/axis_role.hpp"
#include "tensor/data_format.hpp"

namespace convscope {

// The classic mistakes ConvScope recognises by name.
enum class MistakeKind {
    TransposedInput,     // (batch, channels, length) fed where (batch, length, channels) is expected, or the reverse
    ChannelMismatch,     // a layer built for N channels fed M
    RaggedBatch,         // sequences of different lengths in one batch
    SequenceTooShort,    // output length below 1: the sequence is shorter than the layer's reach
    DenseWrongAxis,      // Dense/Linear applied to a tensor that still has a length axis
    NonIntegerReshape,   // Reshape whose target cannot hold the input's elements
    RankMismatch,        // wrong number of axes (e.g. no channel axis)
    FeatureMismatch,     // Dense/Linear built for F features fed G
    LengthMismatch,      // declared input length differs from the data's
    InvalidParameters,   // a parameter combination the framework rejects (e.g. groups not dividing channels)
    SizeOverflow,        // a size or parameter count past the limits (common/limits.hpp) or past 64 bits
};
std::string_view to_string(MistakeKind k);
// Short title shown in reports: "Transposed input", "Channel mismatch", ...
std::string_view title(MistakeKind k);

// What a layer reports when it cannot accept its input.
struct LayerFailure {
    MistakeKind kind = MistakeKind::InvalidParameters;
    int64_t axis = -1;                    // index into the layer's input shape; -1 when no single axis is at fault
    std::optional<AxisRole> role;         // that axis's role
    std::string expected;                 // e.g. "5 channels", "at least 9 steps"
    std::string actual;                   // e.g. "100 channels", "4 steps"
    std::string explanation;              // plain words
    std::string framework_message;        // what PyTorch (channels_first) or Keras (channels_last) prints
};

// A shape that passes but is probably not what the user meant.
struct LayerWarning {
    MistakeKind kind;
    int64_t axis = -1;
    std::string message;
};

struct LayerContext {
    DataFormat format = DataFormat::ChannelsLast;
    std::string_view name;  // the layer's name, used in Keras-style messages
    int64_t index = 0;      // position in the stack
};

struct ShapeOutcome {
    std::optional<TensorType> out;        // set on success
    std::optional<LayerFailure> failure;  // set on failure
    std::vector<LayerWarning> warnings;
    int64_t param_count = 0;

    static ShapeOutcome success(TensorType t, int64_t params = 0) { return {std::move(t), std::nullopt, {}, params}; }
    static ShapeOutcome fail(LayerFailure f) { return {std::nullopt, std::move(f), {}, 0}; }
};

// How the layer maps steps, for receptive-field arithmetic:
// rf_out = rf_in + (extent - 1) * jump_in,  jump_out = jump_in * stride / upsample.
struct StepMap {
    int64_t extent = 1;       // input steps one output step reads (dilated kernel or pool window)
    double stride = 1;        // input steps between consecutive output steps (fractional for upsampling)
    bool whole_sequence = false;  // global pooling, Flatten, Dense over length: sees every step
};

class LayerKind {
public:
    virtual ~LayerKind() = default;
    virtual std::string_view type() const = 0;
    // One sentence for the palette and docs.
    virtual std::string_view summary() const = 0;
    virtual std::span<const ParamInfo> params() const = 0;
    // Cross-parameter checks beyond each value's schema (e.g. groups must divide filters).
    // The message names the field; the caller prefixes the layer.
    virtual Status validate(const LayerSpec&) const { return Ok{}; }
    virtual ShapeOutcome infer(const LayerSpec&, const TensorType& in, const LayerContext&) const = 0;
    virtual StepMap step_map(const LayerSpec&, DataFormat) const { return {}; }
    // "L_out = floor((L - 3) / 1) + 1" with this layer's numbers; empty when the layer keeps L.
    virtual std::string length_rule(const LayerSpec&, DataFormat) const { return {}; }

    // --- Forward pass (float32, in the stack's data format) ---
    // The learned tensors this layer needs for input `in` (which has passed infer()).
    virtual std::vector<WeightSpec> weights(const LayerSpec&, const TensorType& /*in*/, DataFormat) const { return {}; }
    // Computes the output; `args.in` has the shape infer() accepted.
    virtual Tensor forward(const LayerSpec&, const ForwardArgs& args) const = 0;
    virtual MaskRule mask_rule() const { return MaskRule::Drop; }
    // For each output step, whether its receptive field touches a flagged input step.
    // `in` is per (batch, input step); the result is per (batch, output step), or one
    // flag per example when the output has no length axis. Default: same length, same flags.
    virtual StepMask contamination(const LayerSpec&, DataFormat, const StepMask& in, const TensorType& out) const;
};

// The catalogue: every layer type ConvScope knows, in palette order.
std::span<const LayerKind* const> layer_catalogue();
const LayerKind* find_layer_kind(std::string_view type);
std::vector<std::string> layer_type_names();

}  // namespace convscope
