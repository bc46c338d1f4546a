// Shared pieces of the per-layer files: typed parameter access, padding
// resolution and the checks every sequence layer makes of its input.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/checked_math.hpp"
#include "layers/layer_kind.hpp"

namespace convscope::layer_support {

// Typed parameter access; the value was validated against the schema beforehand.
const ParamInfo& info(std::span<const ParamInfo> schema, std::string_view name);
const nlohmann::json& value(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
int64_t get_int(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
std::optional<int64_t> get_optional_int(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
double get_float(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
bool get_bool(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
std::string get_string(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);
std::vector<int64_t> get_int_list(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name);

// `padding` as Keras' strings or PyTorch's integer / [left, right].
struct PaddingSpec {
    enum class Mode { Valid, Same, Causal, Explicit } mode = Mode::Valid;
    int64_t left = 0, right = 0;  // Explicit only
};
PaddingSpec parse_padding(const nlohmann::json& v);
std::string padding_text(const PaddingSpec& p);

struct PadAmount {
    int64_t left = 0, right = 0;
};
// Steps added on each side for a window of `extent` steps moving by `stride` over `length` steps.
// same (Keras/TensorFlow): L_out = ceil(L / s), total = max((L_out - 1)*s + extent - L, 0),
//   left = floor(total / 2), right = total - left (the odd step goes right);
// causal: left = extent - 1, right = 0; valid: none.
PadAmount resolve_padding(const PaddingSpec& p, int64_t length, int64_t extent, int64_t stride);

// Effective kernel extent: d*(k-1) + 1.
inline int64_t dilated_extent(int64_t kernel, int64_t dilation) { return dilation * (kernel - 1) + 1; }
// L_out = floor((L + pad_l + pad_r - extent) / s) + 1, or <= 0 when the window does not fit.
int64_t window_output_length(int64_t length, PadAmount pad, int64_t extent, int64_t stride);
// The length rule as text, with this layer's numbers: "L - 2", "ceil(L / 2)", "floor((L - 5) / 2) + 1".
std::string window_length_rule(const PaddingSpec& p, int64_t extent, int64_t stride);

// Axis positions of a rank-3 sequence tensor in a format.
int64_t length_axis(DataFormat f);
int64_t channels_axis(DataFormat f);

// A rank-3 check with both frameworks' messages; nullopt when the input is rank 3.
std::optional<LayerFailure> require_sequence(const TensorType& in, const LayerContext& ctx, std::string_view torch_op);

// "Conv1D expects 5 channels ..." failure on the channels axis.
LayerFailure channel_mismatch(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                              std::string_view field, int64_t expected, std::string torch_message);

// The output would have fewer than one step.
LayerFailure too_short(const TensorType& in, const LayerContext& ctx, std::string_view what, int64_t padded_length,
                       int64_t extent, int64_t stride, int64_t out_length, bool is_pool);

// A size this layer computes (an output axis, its parameter count) that overflowed
// or passed `limit`: the failure names the layer, the quantity and the limit, so an
// impossible shape is reported instead of a wrapped number. `what` is e.g.
// "the flattened features (1000000000000 x 1000000000000)", `unit` e.g. "features".
LayerFailure size_overflow(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                           std::string_view what, const CheckedInt& value, int64_t limit, std::string_view unit,
                           int64_t axis = -1);
// nullopt when `value` is within [0, limit]; else size_overflow(...).
std::optional<LayerFailure> check_size(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                                       std::string_view what, const CheckedInt& value, int64_t limit,
                                       std::string_view unit, int64_t axis = -1);
// The checks every layer's output gets: each axis within limits::kMaxDimension, the
// element count within limits::kMaxElements, the parameter count within kMaxElements.
std::optional<LayerFailure> check_output(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                                         const TensorType& out, const CheckedInt& params);

// Weight-free layers with no effect on shape (Dropout, Activation, Masking).
ShapeOutcome pass_through(const TensorType& in);

}  // namespace convscope::layer_support
