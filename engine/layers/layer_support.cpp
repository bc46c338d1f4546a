#include "layers/layer_support.hpp"

#include <stdexcept>

#include "common/limits.hpp"
#include "layers/framework_messages.hpp"

namespace convscope::layer_support {

namespace fm = framework_messages;

const ParamInfo& info(std::span<const ParamInfo> schema, std::string_view name) {
    for (const auto& p : schema)
        if (p.name == name) return p;
    throw std::logic_error("layer schema has no parameter " + std::string(name));
}

const nlohmann::json& value(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    return param_or_default(spec.params, info(schema, name));
}

int64_t get_int(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    const auto& v = value(spec, schema, name);
    return v.is_number() ? static_cast<int64_t>(v.get<double>()) : 0;
}

std::optional<int64_t> get_optional_int(const LayerSpec& spec, std::span<const ParamInfo> schema,
                                        std::string_view name) {
    const auto& v = value(spec, schema, name);
    if (v.is_null()) return std::nullopt;
    return static_cast<int64_t>(v.get<double>());
}

double get_float(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    return value(spec, schema, name).get<double>();
}

bool get_bool(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    return value(spec, schema, name).get<bool>();
}

std::string get_string(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    return value(spec, schema, name).get<std::string>();
}

std::vector<int64_t> get_int_list(const LayerSpec& spec, std::span<const ParamInfo> schema, std::string_view name) {
    std::vector<int64_t> out;
    for (const auto& e : value(spec, schema, name)) out.push_back(static_cast<int64_t>(e.get<double>()));
    return out;
}

PaddingSpec parse_padding(const nlohmann::json& v) {
    PaddingSpec p;
    if (v.is_string()) {
        const auto s = v.get<std::string>();
        p.mode = s == "same" ? PaddingSpec::Mode::Same : s == "causal" ? PaddingSpec::Mode::Causal : PaddingSpec::Mode::Valid;
    } else if (v.is_array() && v.size() == 2) {
        p.mode = PaddingSpec::Mode::Explicit;
        p.left = static_cast<int64_t>(v[0].get<double>());
        p.right = static_cast<int64_t>(v[1].get<double>());
    } else if (v.is_number()) {
        p.mode = PaddingSpec::Mode::Explicit;
        p.left = p.right = static_cast<int64_t>(v.get<double>());
    }
    return p;
}

std::string padding_text(const PaddingSpec& p) {
    switch (p.mode) {
        case PaddingSpec::Mode::Valid: return "valid";
        case PaddingSpec::Mode::Same: return "same";
        case PaddingSpec::Mode::Causal: return "causal";
        case PaddingSpec::Mode::Explicit:
            return p.left == p.right ? std::to_string(p.left)
                                     : "[" + std::to_string(p.left) + ", " + std::to_string(p.right) + "]";
    }
    return "?";
}

PadAmount resolve_padding(const PaddingSpec& p, int64_t length, int64_t extent, int64_t stride) {
    switch (p.mode) {
        case PaddingSpec::Mode::Valid: return {0, 0};
        case PaddingSpec::Mode::Explicit: return {p.left, p.right};
        case PaddingSpec::Mode::Causal: return {extent - 1, 0};
        case PaddingSpec::Mode::Same: {
            const int64_t out = (length + stride - 1) / stride;
            const int64_t total = std::max<int64_t>((out - 1) * stride + extent - length, 0);
            return {total / 2, total - total / 2};
        }
    }
    return {0, 0};
}

int64_t window_output_length(int64_t length, PadAmount pad, int64_t extent, int64_t stride) {
    const int64_t span = length + pad.left + pad.right - extent;
    // floor division: a negative span means the window does not fit, and L_out <= 0.
    const int64_t q = span >= 0 ? span / stride : -((-span + stride - 1) / stride);
    return q + 1;
}

std::string window_length_rule(const PaddingSpec& p, int64_t extent, int64_t stride) {
    if (p.mode == PaddingSpec::Mode::Same)
        return stride == 1 ? "L" : "ceil(L / " + std::to_string(stride) + ")";
    const int64_t added = p.mode == PaddingSpec::Mode::Causal ? extent - 1
                          : p.mode == PaddingSpec::Mode::Explicit ? p.left + p.right
                                                                  : 0;
    const int64_t delta = added - extent + 1;  // L + added - extent + 1 when stride is 1
    auto signed_term = [](int64_t v) {
        return v == 0 ? std::string() : v > 0 ? " + " + std::to_string(v) : " - " + std::to_string(-v);
    };
    if (stride == 1) return "L" + signed_term(delta);
    return "floor((L" + signed_term(added - extent) + ") / " + std::to_string(stride) + ") + 1";
}

int64_t length_axis(DataFormat f) { return f == DataFormat::ChannelsLast ? 1 : 2; }
int64_t channels_axis(DataFormat f) { return f == DataFormat::ChannelsLast ? 2 : 1; }

std::optional<LayerFailure> require_sequence(const TensorType& in, const LayerContext& ctx, std::string_view torch_op) {
    if (in.rank() == 3) return std::nullopt;
    LayerFailure f;
    f.kind = MistakeKind::RankMismatch;
    const bool missing_channels = in.rank() == 2 && in.roles.size() == 2 && in.roles[1] != AxisRole::Features;
    f.axis = in.rank() < 3 ? -1 : 3;
    f.expected = "3 axes (batch, length, channels)";
    if (ctx.format == DataFormat::ChannelsFirst) f.expected = "3 axes (batch, channels, length)";
    f.actual = std::to_string(in.rank()) + " axes " + in.shape.to_string();
    if (in.rank() == 2 && !missing_channels) {
        f.explanation = "This layer works on sequences, but its input " + in.shape.to_string() +
                        " has no length axis any more: an earlier Flatten, global pooling or Dense removed it. "
                        "Move this layer before that point, or reshape the features back into (length, channels).";
    } else if (in.rank() == 2) {
        f.explanation = "The data " + in.shape.to_string() +
                        " has no channel axis. A univariate series still needs one: shape it as " +
                        (ctx.format == DataFormat::ChannelsLast ? "(batch, length, 1)" : "(batch, 1, length)") + ".";
    } else {
        f.explanation = "This layer expects a 3-axis sequence batch but got " + std::to_string(in.rank()) +
                        " axes " + in.shape.to_string() + ".";
    }
    f.framework_message = ctx.format == DataFormat::ChannelsLast ? fm::keras_ndim(ctx.name, 3, in.shape)
                                                                  : fm::torch_conv_rank(torch_op, in.shape);
    return f;
}

LayerFailure channel_mismatch(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                              std::string_view field, int64_t expected, std::string torch_message) {
    const int64_t c_axis = channels_axis(ctx.format);
    const int64_t l_axis = length_axis(ctx.format);
    const int64_t actual = in.shape[c_axis];
    LayerFailure f;
    f.axis = c_axis;
    f.role = AxisRole::Channels;
    f.expected = std::to_string(expected) + " channels";
    f.actual = std::to_string(actual) + " channels";
    const bool transposed = in.shape[l_axis] == expected && actual != expected;
    f.kind = transposed ? MistakeKind::TransposedInput : MistakeKind::ChannelMismatch;
    const std::string layer = std::string(layer_type) + " \"" + std::string(ctx.name) + "\"";
    if (transposed) {
        f.explanation = layer + " was built for " + std::to_string(expected) + " channels (" + std::string(field) +
                        "), but axis " + std::to_string(c_axis) + " of " + in.shape.to_string() + " holds " +
                        std::to_string(actual) + ". Axis " + std::to_string(l_axis) + " holds " +
                        std::to_string(expected) + ": the data looks transposed, " +
                        (ctx.format == DataFormat::ChannelsLast
                             ? "(batch, channels, length) fed to a channels_last stack that expects (batch, length, channels)."
                             : "(batch, length, channels) fed to a channels_first stack that expects (batch, channels, length).");
    } else {
        f.explanation = layer + " was built for " + std::to_string(expected) + " input channels (" +
                        std::string(field) + "), but its input " + in.shape.to_string() + " has " +
                        std::to_string(actual) + " on the channels axis (axis " + std::to_string(c_axis) + ").";
    }
    f.framework_message = ctx.format == DataFormat::ChannelsLast
                              ? fm::keras_axis_value(ctx.name, -1, expected, in.shape)
                              : std::move(torch_message);
    return f;
}

LayerFailure too_short(const TensorType& in, const LayerContext& ctx, std::string_view what, int64_t padded_length,
                       int64_t extent, int64_t stride, int64_t out_length, bool is_pool) {
    const int64_t l_axis = length_axis(ctx.format);
    const int64_t length = in.shape[l_axis];
    LayerFailure f;
    f.kind = MistakeKind::SequenceTooShort;
    f.axis = l_axis;
    f.role = AxisRole::Length;
    const int64_t needed = extent - (padded_length - length);
    f.expected = "at least " + std::to_string(std::max<int64_t>(needed, 1)) + " steps";
    f.actual = std::to_string(length) + " steps";
    f.explanation = std::string(what) + " \"" + std::string(ctx.name) + "\" reaches over " + std::to_string(extent) +
                    " steps, but its input has only " + std::to_string(length) + " steps" +
                    (padded_length != length ? " (" + std::to_string(padded_length) + " with padding)" : "") +
                    ", so its output would have " + std::to_string(out_length) +
                    " steps. The sequence is shorter than the layer's reach: use shorter kernels or less dilation, "
                    "'same' padding, less downsampling before it, or longer sequences.";
    if (ctx.format == DataFormat::ChannelsLast) {
        f.framework_message = fm::keras_negative_output(padded_length, extent, stride);
    } else if (is_pool) {
        Shape out = in.shape;
        out[l_axis] = out_length;
        f.framework_message = fm::torch_pool_too_small(in.shape, out);
    } else {
        f.framework_message = fm::torch_kernel_too_big(padded_length, extent);
    }
    return f;
}

LayerFailure size_overflow(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                           std::string_view what, const CheckedInt& value, int64_t limit, std::string_view unit,
                           int64_t axis) {
    LayerFailure f;
    f.kind = MistakeKind::SizeOverflow;
    f.axis = axis;
    if (axis >= 0 && static_cast<size_t>(axis) < in.roles.size()) f.role = in.roles[static_cast<size_t>(axis)];
    f.expected = "at most " + std::to_string(limit) + " " + std::string(unit);
    f.actual = value.text() + " " + std::string(unit);
    const bool wrapped = !value.ok();
    f.explanation = std::string(layer_type) + " \"" + std::string(ctx.name) + "\": " + std::string(what) + " would be " +
                    value.text() + (wrapped ? ", which does not fit a 64-bit integer" : "") + "; the limit is " +
                    std::to_string(limit) + " " + std::string(unit) + " (see docs/LIMITS.md). Its input is " +
                    in.shape.to_string() + ": check the sizes and parameters that lead here.";
    f.framework_message = "";
    return f;
}

std::optional<LayerFailure> check_size(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                                       std::string_view what, const CheckedInt& value, int64_t limit,
                                       std::string_view unit, int64_t axis) {
    if (value.within(0, limit)) return std::nullopt;
    return size_overflow(in, ctx, layer_type, what, value, limit, unit, axis);
}

std::optional<LayerFailure> check_output(const TensorType& in, const LayerContext& ctx, std::string_view layer_type,
                                         const TensorType& out, const CheckedInt& params) {
    for (int64_t a = 0; a < out.rank(); ++a) {
        const int64_t d = out.shape[a];
        if (d == kAnyDim) continue;
        const auto ua = static_cast<size_t>(a);
        const std::string role = ua < out.roles.size() ? std::string(to_string(out.roles[ua])) : "axis";
        if (auto f = check_size(in, ctx, layer_type,
                                "output axis " + std::to_string(a) + " (" + role + ") of " + out.shape.to_string(),
                                CheckedInt(d), limits::kMaxDimension, "steps or entries on one axis"))
            return f;
    }
    if (auto f = check_size(in, ctx, layer_type, "the output's element count", out.shape.checked_element_count(),
                            limits::kMaxElements, "elements"))
        return f;
    return check_size(in, ctx, layer_type, "the parameter count", params, limits::kMaxElements, "parameters");
}

ShapeOutcome pass_through(const TensorType& in) { return ShapeOutcome::success(in); }

}  // namespace convscope::layer_support
