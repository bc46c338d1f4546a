#include "layers/stack.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/json_input.hpp"
#include "common/limits.hpp"
#include "layers/layer_kind.hpp"

namespace convscope {

std::string describe_layer(const LayerSpec& layer, size_t index) {
    std::string s = "layer " + std::to_string(index);
    if (!layer.name.empty() || !layer.type.empty()) {
        s += " (";
        if (!layer.name.empty()) s += "\"" + layer.name + "\"" + (layer.type.empty() ? "" : ", ");
        s += layer.type + ")";
    }
    return s;
}

Status validate_layer(const LayerSpec& layer, size_t index) {
    const std::string where = describe_layer(layer, index);
    const LayerKind* kind = find_layer_kind(layer.type);
    if (!kind) {
        std::string hint;
        if (auto near = closest_name(layer.type, layer_type_names())) hint = " (did you mean \"" + *near + "\"?)";
        std::string known;
        for (const auto& n : layer_type_names()) known += (known.empty() ? "" : ", ") + n;
        return make_error(where + ": unknown layer type " + text_excerpt(layer.type) + hint + "; known types: " + known);
    }
    if (!layer.params.is_object()) return make_error(where + ": parameters must be a JSON object");
    std::vector<std::string> known;
    for (const auto& p : kind->params()) known.push_back(p.name);
    for (const auto& [key, value] : layer.params.items()) {
        const auto it = std::find_if(kind->params().begin(), kind->params().end(),
                                     [&k = key](const ParamInfo& p) { return p.name == k; });
        if (it == kind->params().end()) {
            std::string hint;
            if (auto near = closest_name(key, known)) hint = " (did you mean \"" + *near + "\"?)";
            std::string list;
            for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
            return make_error(where + ": unknown parameter " + text_excerpt(key) + hint + "; " + layer.type +
                              (list.empty() ? " takes no parameters" : " takes: " + list));
        }
        if (auto st = check_param_value(*it, value); !st)
            return make_error(where + ": field \"" + key + "\": " + st.error().message);
    }
    for (const auto& p : kind->params())
        if (p.required && !layer.params.contains(p.name))
            return make_error(where + ": missing required field \"" + p.name + "\" (" + p.help + ")");
    if (auto st = kind->validate(layer); !st) return make_error(where + ": " + st.error().message);
    return Ok{};
}

Status validate_stack(const Stack& stack) {
    std::set<std::string> names;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const auto& layer = stack.layers[i];
        if (layer.name.empty()) return make_error(describe_layer(layer, i) + ": field \"name\" must not be empty");
        if (!names.insert(layer.name).second)
            return make_error(describe_layer(layer, i) + ": field \"name\": \"" + layer.name +
                              "\" is already used by another layer; names must be unique (weights are keyed by them)");
        if (auto st = validate_layer(layer, i); !st) return st;
    }
    if (stack.input_shape) {
        if (stack.input_shape->rank() < 2 || stack.input_shape->rank() > 4)
            return make_error("field \"input_shape\": expected 2 to 4 entries (batch first), got " +
                              std::to_string(stack.input_shape->rank()) + ": " +
                              text_excerpt(stack.input_shape->to_string()));
        for (auto d : stack.input_shape->dims)
            if (d != kAnyDim && (d < 1 || d > limits::kMaxDimension))
                return make_error("field \"input_shape\": entries must be integers from 1 to " +
                                  std::to_string(limits::kMaxDimension) +
                                  " (ConvScope's limit for one axis) or null, got " +
                                  text_excerpt(stack.input_shape->to_string()));
    }
    return Ok{};
}

std::string unique_layer_name(const Stack& stack, std::string_view type) {
    // Keras' snake_case: "MaxPooling1D" -> "max_pooling1d".
    std::string base;
    for (size_t i = 0; i < type.size(); ++i) {
        const char c = type[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            const bool prev_lower = i > 0 && (std::islower(static_cast<unsigned char>(type[i - 1])) ||
                                              std::isdigit(static_cast<unsigned char>(type[i - 1])));
            const bool next_lower = i + 1 < type.size() && std::islower(static_cast<unsigned char>(type[i + 1]));
            if (i > 0 && (prev_lower || next_lower) && !std::isdigit(static_cast<unsigned char>(type[i - 1])) ) base += '_';
            base += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            base += c;
        }
    }
    auto taken = [&](const std::string& n) {
        return std::any_of(stack.layers.begin(), stack.layers.end(), [&](const LayerSpec& l) { return l.name == n; });
    };
    if (!taken(base)) return base;
    for (int i = 1;; ++i)
        if (auto n = base + "_" + std::to_string(i); !taken(n)) return n;
}

}  // namespace convscope
