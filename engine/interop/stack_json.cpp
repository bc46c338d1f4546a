#include "interop/stack_json.hpp"

#include <set>

#include "common/atomic_write.hpp"
#include "common/limits.hpp"
#include "common/json_input.hpp"

namespace convscope {

namespace {

using nlohmann::json;

Result<Shape> parse_shape(const json& j, std::string_view source) {
    if (!j.is_array())
        return make_error(std::string(source) + ": field \"input_shape\": expected a list such as [null, 100, 5], got " +
                          json_excerpt(j));
    Shape s;
    for (const auto& d : j) {
        if (d.is_null()) s.dims.push_back(kAnyDim);
        else if (d.is_number_integer() && d.get<int64_t>() >= 1 && d.get<int64_t>() <= limits::kMaxDimension)
            s.dims.push_back(d.get<int64_t>());
        else
            return make_error(std::string(source) + ": field \"input_shape\": entries must be integers from 1 to " +
                              std::to_string(limits::kMaxDimension) + " (ConvScope's limit for one axis) or null, got " +
                              json_excerpt(d));
    }
    return s;
}

}  // namespace

Result<Stack> stack_from_json(const json& j, std::string_view source) {
    const std::string src(source);
    if (!j.is_object()) return make_error(src + ": expected a JSON object with \"layers\", got " + std::string(j.type_name()));
    static const std::set<std::string> known{"format", "version", "name", "description", "data_format", "input_shape", "layers"};
    for (const auto& [key, value] : j.items())
        if (!known.count(key))
            return make_error(src + ": unknown field " + text_excerpt(key) +
                              "; a stack has format, version, name, description, data_format, input_shape, layers");
    if (auto it = j.find("format"); it != j.end() && *it != "convscope-stack")
        return make_error(src + ": field \"format\": expected \"convscope-stack\", got " + json_excerpt(*it));
    if (auto it = j.find("version"); it != j.end()) {
        if (!it->is_number_integer() || it->get<int64_t>() < 1)
            return make_error(src + ": field \"version\": expected a positive integer, got " + json_excerpt(*it));
        if (it->get<int64_t>() > kStackFormatVersion)
            return make_error(src + ": field \"version\": format version " + json_excerpt(*it) +
                              " is newer than this ConvScope reads (" + std::to_string(kStackFormatVersion) +
                              "); update ConvScope");
    }
    Stack stack;
    if (auto it = j.find("name"); it != j.end() && it->is_string()) stack.name = *it;
    if (auto it = j.find("description"); it != j.end() && it->is_string()) stack.description = *it;
    if (auto it = j.find("data_format"); it != j.end()) {
        auto f = it->is_string() ? parse_data_format(it->get<std::string>()) : std::nullopt;
        if (!f)
            return make_error(src + ": field \"data_format\": expected \"channels_last\" (Keras: batch, length, "
                                    "channels) or \"channels_first\" (PyTorch: batch, channels, length), got " +
                              json_excerpt(*it));
        stack.data_format = *f;
    }
    if (auto it = j.find("input_shape"); it != j.end() && !it->is_null()) {
        auto shape = parse_shape(*it, source);
        if (!shape) return shape.error();
        stack.input_shape = *shape;
    }
    auto layers = j.find("layers");
    if (layers == j.end() || !layers->is_array())
        return make_error(src + ": field \"layers\": expected a list of layer objects");
    for (size_t i = 0; i < layers->size(); ++i) {
        const json& lj = (*layers)[i];
        const std::string where = src + ": layer " + std::to_string(i);
        if (!lj.is_object()) return make_error(where + ": expected an object such as {\"type\": \"Conv1D\", ...}");
        LayerSpec layer;
        auto type = lj.find("type");
        if (type == lj.end() || !type->is_string()) return make_error(where + ": missing field \"type\" (a layer type name)");
        layer.type = *type;
        if (layer.type.size() > kMaxNameChars)
            return make_error(where + ": field \"type\": " + json_excerpt(*type) + " is not a layer type (longer than " +
                              std::to_string(kMaxNameChars) + " characters)");
        if (auto n = lj.find("name"); n != lj.end()) {
            if (!n->is_string()) return make_error(where + ": field \"name\": expected a string, got " + json_excerpt(*n));
            if (n->get_ref<const std::string&>().size() > kMaxNameChars)
                return make_error(where + ": field \"name\": " + json_excerpt(*n) + " is longer than " +
                                  std::to_string(kMaxNameChars) + " characters");
            layer.name = *n;
        }
        if (auto e = lj.find("enabled"); e != lj.end()) {
            if (!e->is_boolean()) return make_error(where + ": field \"enabled\": expected true or false, got " + json_excerpt(*e));
            layer.enabled = *e;
        }
        for (const auto& [key, value] : lj.items())
            if (key != "type" && key != "name" && key != "enabled") layer.params[key] = value;
        if (layer.name.empty()) layer.name = unique_layer_name(stack, layer.type);
        stack.layers.push_back(std::move(layer));
    }
    if (auto st = validate_stack(stack); !st) return make_error(src + ": " + st.error().message);
    return stack;
}

Result<Stack> parse_stack_json(std::string_view text, std::string_view source) {
    auto j = parse_json_text(text, source);
    if (!j) return j.error();
    return stack_from_json(*j, source);
}

Result<Stack> load_stack_file(const std::filesystem::path& path) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    return parse_stack_json(*text, path.string());
}

nlohmann::ordered_json stack_to_json(const Stack& stack) {
    nlohmann::ordered_json j;
    j["format"] = "convscope-stack";
    j["version"] = kStackFormatVersion;
    if (!stack.name.empty()) j["name"] = stack.name;
    if (!stack.description.empty()) j["description"] = stack.description;
    j["data_format"] = std::string(to_string(stack.data_format));
    if (stack.input_shape) {
        auto& shape = j["input_shape"] = nlohmann::ordered_json::array();
        for (auto d : stack.input_shape->dims) shape.push_back(d == kAnyDim ? nlohmann::ordered_json() : nlohmann::ordered_json(d));
    } else {
        j["input_shape"] = nullptr;
    }
    auto& layers = j["layers"] = nlohmann::ordered_json::array();
    for (const auto& l : stack.layers) {
        nlohmann::ordered_json lj;
        lj["type"] = l.type;
        lj["name"] = l.name;
        if (!l.enabled) lj["enabled"] = false;
        for (const auto& [key, value] : l.params.items()) lj[key] = value;
        layers.push_back(std::move(lj));
    }
    return j;
}

std::string stack_to_json_text(const Stack& stack) { return stack_to_json(stack).dump(2) + "\n"; }

Status save_stack_file(const std::filesystem::path& path, const Stack& stack) {
    return write_file_atomically(path, stack_to_json_text(stack));
}

}  // namespace convscope
