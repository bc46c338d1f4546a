// Reading and writing the layer-stack format (*.convscope.json), see docs/STACK_FORMAT.md.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "layers/stack.hpp"

namespace convscope {

inline constexpr int kStackFormatVersion = 1;

// `source` names the text in error messages (a path, or "<clipboard>").
// JSON syntax errors give line and column; schema errors give the layer and field.
Result<Stack> parse_stack_json(std::string_view text, std::string_view source);
Result<Stack> stack_from_json(const nlohmann::json& j, std::string_view source);
Result<Stack> load_stack_file(const std::filesystem::path& path);

nlohmann::ordered_json stack_to_json(const Stack& stack);
std::string stack_to_json_text(const Stack& stack);  // pretty, 2-space indent, trailing newline
Status save_stack_file(const std::filesystem::path& path, const Stack& stack);  // atomic

}  // namespace convscope
