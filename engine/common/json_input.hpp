// Reading JSON from files people did not write: a nesting limit checked before
// parsing, syntax errors with line and column, and short excerpts of bad values
// for messages (a value is never echoed whole).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace convscope {

// Deepest nesting of lists and objects accepted. Stacks, projects and Keras
// model JSON nest about 10 levels; the limit keeps every recursive walk over a
// parsed value (printing it, comparing it, destroying it) far from the stack's end.
inline constexpr int kMaxJsonDepth = 100;

// Longest layer name or type name read from a file: real names are short, and
// every message about a layer repeats its name.
inline constexpr size_t kMaxNameChars = 256;

// Longest excerpt of a value in a message, in characters.
inline constexpr size_t kMaxExcerptChars = 60;

// Parses `text`; `source` names it in errors ("<path>: not valid JSON at line 3,
// column 7: ..." or "<path>: JSON nested deeper than 100 levels at line 1, column 101").
Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view source);

// "line L, column C" of a byte offset.
std::string line_and_column(std::string_view text, size_t byte);

// The value as JSON text, cut to kMaxExcerptChars with "..." and the full size
// noted when longer: "\"aaaa...\" (5000000 characters)".
std::string json_excerpt(const nlohmann::json& value);
// The same for a plain string, quoted.
std::string text_excerpt(std::string_view text);

}  // namespace convscope
