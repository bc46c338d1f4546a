// Presenting a trace: the readable table `convscope-cli trace` prints, and the
// JSON object of `convscope-cli trace --json` (documented in docs/FORMATS.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "diagnosis/shape_trace.hpp"

namespace convscope {

std::string format_trace_table(const Trace& trace);
nlohmann::ordered_json trace_to_json(const Trace& trace);
nlohmann::json shape_to_json(const Shape& shape);  // null for unknown dims

}  // namespace convscope
