// A layer stack: the model under inspection, as a plain value.
// Its file format (*.convscope.json) is read and written by interop/stack_json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "layers/layer_spec.hpp"
#include "tensor/data_format.hpp"
#include "tensor/shape.hpp"

namespace convscope {

struct Stack {
    std::string name;
    std::string description;
    DataFormat data_format = DataFormat::ChannelsLast;
    // Declared input shape, batch first; kAnyDim entries are "any" (JSON null).
    // nullopt: nothing declared, every layer builds from its first input.
    std::optional<Shape> input_shape;
    std::vector<LayerSpec> layers;

    bool operator==(const Stack&) const = default;
};

// Every layer's type is known, every parameter is known and well-typed, names are unique.
// Errors name the layer (index and name) and the field.
Status validate_stack(const Stack& stack);
Status validate_layer(const LayerSpec& layer, size_t index);

// Keras-style automatic name for a new layer of `type`: "conv1d", "conv1d_1", ...
std::string unique_layer_name(const Stack& stack, std::string_view type);

// "layer 2 (\"conv1\", Conv1D)": how messages refer to a layer.
std::string describe_layer(const LayerSpec& layer, size_t index);

}  // namespace convscope
