// The schema of one layer parameter: what the JSON may hold, its default and a
// one-line explanation (shown as the GUI form's tooltip and in docs/STACK_FORMAT.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "common/result.hpp"

namespace convscope {

enum class ParamKind {
    Int,          // an integer >= min
    OptionalInt,  // an integer >= min, or null (= "not fixed": inferred from the input)
    Float,        // a number in [min_value, max_value]
    Bool,
    Choice,       // one of `choices`
    IntList,      // a list of integers (Permute dims, Reshape target_shape)
    Padding,      // "valid" | "same" | "causal" | int (both sides) | [left, right]
    Pair,         // int (both sides) | [left, right]: ZeroPadding1D, Cropping1D
};

struct ParamInfo {
    std::string name;
    ParamKind kind;
    nlohmann::json default_value;  // null: no default, or "not fixed"
    std::string help;
    std::vector<std::string> choices = {};  // Choice and the string forms of Padding
    double min_value = 0;
    double max_value = static_cast<double>(limits::kMaxDimension);  // integers: the stated limit
    bool required = false;
};

// Checks one value against its schema; the error text says what was expected
// (the caller prefixes the layer and field).
Status check_param_value(const ParamInfo& info, const nlohmann::json& value);

// Parameter value or the schema default.
const nlohmann::json& param_or_default(const nlohmann::json& params, const ParamInfo& info);

// The closest known name to a misspelt one, for "did you mean" hints.
std::optional<std::string> closest_name(const std::string& wrong, const std::vector<std::string>& known);

}  // namespace convscope
