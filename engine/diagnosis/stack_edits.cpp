#include "diagnosis/stack_edits.hpp"

#include "common/limits.hpp"
#include "diagnosis/input_axes.hpp"
#include "diagnosis/shape_trace.hpp"
#include "layers/layer_support.hpp"

namespace convscope::stack_edits {

Stack insert_layer(Stack stack, size_t at, std::string_view type, nlohmann::json params) {
    LayerSpec layer;
    layer.type = std::string(type);
    layer.name = unique_layer_name(stack, type);
    layer.params = std::move(params);
    stack.layers.insert(stack.layers.begin() + static_cast<std::ptrdiff_t>(std::min(at, stack.layers.size())), std::move(layer));
    return stack;
}

Stack set_param(Stack stack, size_t layer, const std::string& key, nlohmann::json value) {
    stack.layers.at(layer).params[key] = std::move(value);
    return stack;
}

Stack replace_layer(Stack stack, size_t layer, std::string_view type, nlohmann::json params) {
    auto& l = stack.layers.at(layer);
    l.type = std::string(type);
    l.params = std::move(params);
    return stack;
}

namespace {

// The stored axis a stack reads as length: axis 1 of (batch, length); of a sequence batch, the
// axis the stack reads as length (a leading Permute moves it). -1 when there is none.
int64_t declared_length_axis(const Stack& stack, int64_t rank) {
    if (rank == 2) return 1;
    if (rank != 3) return -1;
    const auto axes = input_axes(stack);
    return axes ? axes->length : -1;
}

}  // namespace

std::optional<Shape> open_input_shape(const Stack& fixed, const Shape& data_shape) {
    if (!fixed.input_shape) return std::nullopt;
    Shape declared = *fixed.input_shape;
    if (declared.rank() == 0) return declared;
    declared[0] = kAnyDim;
    const int64_t axis = declared_length_axis(fixed, declared.rank());
    if (axis < 0 || declared[axis] == kAnyDim || declared.rank() != data_shape.rank()) return declared;
    Stack probe = fixed;
    probe.input_shape = declared;
    (*probe.input_shape)[axis] = kAnyDim;
    const int64_t length = data_shape[axis];
    const TraceOptions quick{false, false};
    // Longer inputs are what an open length promises (shorter ones may be too short for any stack).
    for (const int64_t other : {length, length + 1, 2 * length + 3}) {
        if (other > limits::kMaxDimension) break;
        Shape shape = data_shape;
        shape[axis] = other;
        if (!trace_stack(probe, TraceInput::uniform(shape), quick).ok()) return declared;
    }
    return probe.input_shape;
}

std::string_view declared_size_field(std::string_view type) {
    if (type == "Conv1D" || type == "Conv1DTranspose" || type == "DepthwiseConv1D" || type == "SeparableConv1D")
        return "in_channels";
    if (type == "Dense") return "in_features";
    if (type == "BatchNormalization") return "num_features";
    if (type == "LayerNormalization") return "normalized_shape";
    return {};
}

}  // namespace convscope::stack_edits
