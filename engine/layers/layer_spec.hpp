// One layer as the user wrote it: its type, its unique name, and its parameters
// (Keras names, flat in the layer's JSON object). Parsing and validation live in
// stack.cpp / param_info.cpp; this is the plain value passed around.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace convscope {

struct LayerSpec {
    std::string type;           // "Conv1D", "MaxPooling1D", ...
    std::string name;           // unique within the stack; weights are keyed by it
    bool enabled = true;        // disabled layers are kept in the stack but skipped
    nlohmann::json params = nlohmann::json::object();  // only the parameters the user set

    bool operator==(const LayerSpec&) const = default;
};

}  // namespace convscope
