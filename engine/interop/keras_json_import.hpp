// Importing a Keras model from the JSON `model.to_json()` writes, so a model
// built in Keras can be traced without retyping it. See docs/EXPORT.md.
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "layers/stack.hpp"

namespace convscope {

// Sequential and linear Functional models, Keras 2 (batch_input_shape,
// inbound_nodes as lists) and Keras 3 (batch_shape, module/registered_name,
// inbound_nodes with keras_history) layouts, for the catalogue's layer types.
// Parameters equal to ConvScope's defaults are left out of the layer, as a
// hand-written stack would. Unknown layer classes, branching models and
// configurations ConvScope cannot represent are errors naming `source`, the
// layer and the field.
Result<Stack> import_keras_model_json(std::string_view text, std::string_view source);

}  // namespace convscope
