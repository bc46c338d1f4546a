// Presenting an explanation: the readable text `convscope-cli explain` prints
// and the JSON object of `explain --json` (keys documented in docs/EXPLAIN.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "explain/explain.hpp"
#include "explain/stack_match.hpp"

namespace convscope::explain {

// `match` is the primary message set against a stack, when one was given.
std::string format_explanation(const Explanation& e, const StackMatch* match, const Stack* stack);
nlohmann::ordered_json explanation_to_json(const Explanation& e, const StackMatch* match, const Stack* stack);
std::string not_recognised_text();

}  // namespace convscope::explain
