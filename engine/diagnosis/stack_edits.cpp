#include "diagnosis/stack_edits.hpp"

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

std::string_view declared_size_field(std::string_view type) {
    if (type == "Conv1D" || type == "Conv1DTranspose" || type == "DepthwiseConv1D" || type == "SeparableConv1D")
        return "in_channels";
    if (type == "Dense") return "in_features";
    if (type == "BatchNormalization") return "num_features";
    if (type == "LayerNormalization") return "normalized_shape";
    return {};
}

}  // namespace convscope::stack_edits
