// Small pure edits of a stack that fixes are built from. Each returns a new stack.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "layers/stack.hpp"

namespace convscope::stack_edits {

// Inserts a layer of `type` with `params` before position `at`, named uniquely.
Stack insert_layer(Stack stack, size_t at, std::string_view type, nlohmann::json params = nlohmann::json::object());
Stack set_param(Stack stack, size_t layer, const std::string& key, nlohmann::json value);
Stack replace_layer(Stack stack, size_t layer, std::string_view type, nlohmann::json params);
// The input_shape a fix declares: what `fixed` declares (the sizes the fix needs) with the batch
// open, and the length open too when the stack's layers accept other lengths, checked by tracing
// `fixed` on `data_shape` with longer ones (a Flatten + Dense with in_features pins it). A fix must
// not hard-code one file's length into a stack that takes any length. nullopt when `fixed` declares
// none. Every fix that declares the data's shape goes through this one rule (fix_proposals).
std::optional<Shape> open_input_shape(const Stack& fixed, const Shape& data_shape);
// The layer field that pins its input size: in_channels, in_features, num_features, normalized_shape; empty if none.
std::string_view declared_size_field(std::string_view type);

}  // namespace convscope::stack_edits
