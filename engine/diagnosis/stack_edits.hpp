// Small pure edits of a stack that fixes are built from. Each returns a new stack.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "layers/stack.hpp"

namespace convscope::stack_edits {

// Inserts a layer of `type` with `params` before position `at`, named uniquely.
Stack insert_layer(Stack stack, size_t at, std::string_view type, nlohmann::json params = nlohmann::json::object());
Stack set_param(Stack stack, size_t layer, const std::string& key, nlohmann::json value);
Stack replace_layer(Stack stack, size_t layer, std::string_view type, nlohmann::json params);
// The input_shape a fix declares for data of `data_shape`: the batch open, and the length
// open too when the stack (as fixed) also accepts other lengths, checked by tracing longer ones.
// A fix must not hard-code one file's length into a stack that takes any length.
Shape open_input_shape(const Stack& stack, const Shape& data_shape);
// The layer field that pins its input size: in_channels, in_features, num_features, normalized_shape; empty if none.
std::string_view declared_size_field(std::string_view type);

}  // namespace convscope::stack_edits
