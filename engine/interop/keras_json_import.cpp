#include "interop/keras_json_import.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/json_input.hpp"
#include "layers/common_params.hpp"
#include "layers/layer_kind.hpp"

namespace convscope {

namespace {

using nlohmann::json;

// Keras class names (and the aliases Keras itself accepts) -> catalogue types.
std::optional<std::string> catalogue_type(const std::string& class_name) {
    static const std::map<std::string, std::string> aliases{
        {"Convolution1D", "Conv1D"},           {"Convolution1DTranspose", "Conv1DTranspose"},
        {"SeparableConvolution1D", "SeparableConv1D"}, {"MaxPool1D", "MaxPooling1D"},
        {"AvgPool1D", "AveragePooling1D"},     {"GlobalMaxPool1D", "GlobalMaxPooling1D"},
        {"GlobalAvgPool1D", "GlobalAveragePooling1D"}};
    if (auto it = aliases.find(class_name); it != aliases.end()) return it->second;
    if (find_layer_kind(class_name)) return class_name;
    return std::nullopt;
}

std::string known_types_text() {
    std::string s;
    for (const auto& n : layer_type_names()) s += (s.empty() ? "" : ", ") + n;
    return s;
}

// Reads one Keras layer's config into a LayerSpec, checking every field that
// changes shapes or the computation. Initializers, regularizers, constraints,
// dtype and the like do not, and newer Keras versions keep adding such
// bookkeeping keys, so fields not read here are ignored.
class LayerReader {
public:
    LayerReader(const json& config, std::string where, LayerSpec& out, DataFormat format)
        : config_(config), where_(std::move(where)), out_(out), format_(format),
          schema_(find_layer_kind(out.type)->params()) {}

    Status error(const std::string& field, const std::string& what) const {
        return make_error(where_ + ": field \"" + field + "\": " + what);
    }
    const json* find(const std::string& field) const {
        auto it = config_.find(field);
        return it == config_.end() ? nullptr : &*it;
    }

    // Stores a parameter unless it equals ConvScope's default, as a hand-written stack would.
    void set(const std::string& param, json value) {
        for (const auto& info : schema_)
            if (info.name == param && !info.required && value == info.default_value) return;
        out_.params[param] = std::move(value);
    }

    // Keras writes 1-D sizes as one-element lists ([3]); older files as plain integers.
    Result<std::optional<int64_t>> one_int(const std::string& field, bool nullable, int64_t min) const {
        const json* v = find(field);
        if (!v || (v->is_null() && nullable)) return std::optional<int64_t>{};
        const json* x = v;
        if (v->is_array()) {
            if (v->size() != 1)
                return error(field, "expected one value for a 1D layer, got " + json_excerpt(*v)).error();
            x = &(*v)[0];
        }
        if (!x->is_number_integer() || x->get<int64_t>() < min)
            return error(field, "expected an integer >= " + std::to_string(min) + ", got " + json_excerpt(*v)).error();
        return std::optional<int64_t>{x->get<int64_t>()};
    }

    Status int_param(const std::string& field, const std::string& param, bool required = false, int64_t min = 1) {
        auto v = one_int(field, !required, min);
        if (!v) return v.error();
        if (!*v) return required ? error(field, "missing; " + out_.type + " needs it") : Status{Ok{}};
        set(param, **v);
        return Ok{};
    }
    Status optional_int_param(const std::string& field, const std::string& param, int64_t min) {
        auto v = one_int(field, true, min);
        if (!v) return v.error();
        if (*v) set(param, **v);
        return Ok{};
    }
    Status bool_param(const std::string& field) {
        const json* v = find(field);
        if (!v) return Ok{};
        if (!v->is_boolean()) return error(field, "expected true or false, got " + json_excerpt(*v));
        set(field, *v);
        return Ok{};
    }
    Status float_param(const std::string& field) {
        const json* v = find(field);
        if (!v) return Ok{};
        if (!v->is_number()) return error(field, "expected a number, got " + json_excerpt(*v));
        set(field, v->get<double>());
        return Ok{};
    }
    Status int_list_param(const std::string& field) {
        const json* v = find(field);
        if (!v || !v->is_array()) return error(field, "expected a list of integers, got " + (v ? json_excerpt(*v) : "nothing"));
        std::vector<int64_t> values;
        for (const auto& x : *v) {
            if (!x.is_number_integer()) return error(field, "expected a list of integers, got " + json_excerpt(*v));
            values.push_back(x.get<int64_t>());
        }
        set(field, values);
        return Ok{};
    }
    // ZeroPadding1D's padding and Cropping1D's cropping: an integer or (left, right).
    Status pair_param(const std::string& field) {
        const json* v = find(field);
        if (!v) return Ok{};
        const bool pair = v->is_array() && v->size() == 2 && (*v)[0].is_number_integer() && (*v)[1].is_number_integer();
        if (!v->is_number_integer() && !pair) return error(field, "expected an integer or [left, right], got " + json_excerpt(*v));
        json value = *v;
        if (pair && (*v)[0] == (*v)[1]) value = (*v)[0];  // [1, 1] is written 1, as the default is
        set(field, value);
        return Ok{};
    }
    Status padding_param(bool allow_causal) {
        const json* v = find("padding");
        if (!v) return Ok{};
        const std::string p = v->is_string() ? v->get<std::string>() : std::string();
        if (p != "valid" && p != "same" && !(allow_causal && p == "causal"))
            return error("padding", "expected " + std::string(allow_causal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"") +
                                        ", got " + json_excerpt(*v));
        set("padding", p);
        return Ok{};
    }
    Status activation_param() {
        const json* v = find("activation");
        if (!v || v->is_null()) return Ok{};
        // Keras 3 may serialise a built-in activation as {"class_name": "function", "config": "relu"}.
        const json& name = v->is_object() && v->contains("config") ? (*v)["config"] : *v;
        std::string a = name.is_string() ? name.get<std::string>() : std::string();
        if (a == "silu") a = "swish";  // Keras 3 writes swish under its other name
        const auto& known = common_params::activation_names();
        if (std::find(known.begin(), known.end(), a) == known.end()) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            return error("activation", json_excerpt(*v) + " is not supported; ConvScope knows " + list);
        }
        set("activation", a);
        return Ok{};
    }
    Status require_null(const std::string& field, const std::string& why) const {
        if (const json* v = find(field); v && !v->is_null()) return error(field, json_excerpt(*v) + " is not supported: " + why);
        return Ok{};
    }
    Status require_false(const std::string& field, const std::string& why) const {
        if (const json* v = find(field); v && !(v->is_boolean() && !v->get<bool>()))
            return error(field, json_excerpt(*v) + " is not supported: " + why);
        return Ok{};
    }
    // Normalisation axis as Keras writes it: an integer or a one-element list.
    Status axis_is(const std::vector<int64_t>& accepted, const std::string& why) const {
        const json* v = find("axis");
        if (!v) return Ok{};
        const json* x = v->is_array() && v->size() == 1 ? &(*v)[0] : v;
        if (x->is_number_integer() &&
            std::find(accepted.begin(), accepted.end(), x->get<int64_t>()) != accepted.end())
            return Ok{};
        return error("axis", json_excerpt(*v) + " is not supported: " + why);
    }

    Status read() {
        const std::string& t = out_.type;
        const bool conv = t == "Conv1D" || t == "Conv1DTranspose" || t == "DepthwiseConv1D" || t == "SeparableConv1D";
        std::vector<Status> steps;
        if (conv) {
            if (t != "DepthwiseConv1D") steps.push_back(int_param("filters", "filters", true));
            steps.push_back(int_param("kernel_size", "kernel_size", true));
            steps.push_back(int_param("strides", "strides"));
            steps.push_back(padding_param(t != "Conv1DTranspose"));
            steps.push_back(int_param("dilation_rate", "dilation_rate"));
            steps.push_back(activation_param());
            steps.push_back(bool_param("use_bias"));
            if (t == "Conv1D") steps.push_back(int_param("groups", "groups"));
            if (t == "Conv1DTranspose") steps.push_back(optional_int_param("output_padding", "output_padding", 0));
            if (t == "DepthwiseConv1D" || t == "SeparableConv1D")
                steps.push_back(int_param("depth_multiplier", "depth_multiplier"));
        } else if (t == "MaxPooling1D" || t == "AveragePooling1D") {
            steps.push_back(int_param("pool_size", "pool_size"));
            steps.push_back(optional_int_param("strides", "strides", 1));
            steps.push_back(padding_param(false));
        } else if (t == "GlobalMaxPooling1D" || t == "GlobalAveragePooling1D") {
            steps.push_back(bool_param("keepdims"));
        } else if (t == "ZeroPadding1D") {
            steps.push_back(pair_param("padding"));
        } else if (t == "Cropping1D") {
            steps.push_back(pair_param("cropping"));
        } else if (t == "UpSampling1D") {
            steps.push_back(int_param("size", "size"));
        } else if (t == "Masking") {
            steps.push_back(float_param("mask_value"));
        } else if (t == "Permute") {
            steps.push_back(int_list_param("dims"));
        } else if (t == "Reshape") {
            steps.push_back(int_list_param("target_shape"));
        } else if (t == "Dense") {
            steps.push_back(int_param("units", "units", true));
            steps.push_back(activation_param());
            steps.push_back(bool_param("use_bias"));
        } else if (t == "Activation") {
            steps.push_back(activation_param());
        } else if (t == "Dropout") {
            steps.push_back(float_param("rate"));
            steps.push_back(require_null("noise_shape", "ConvScope's Dropout drops single values"));
        } else if (t == "BatchNormalization") {
            steps.push_back(axis_is(format_ == DataFormat::ChannelsLast ? std::vector<int64_t>{-1, 2}
                                                                        : std::vector<int64_t>{1},
                                    "ConvScope normalises the channel axis of the stack's layout"));
            steps.push_back(float_param("momentum"));
            steps.push_back(float_param("epsilon"));
            steps.push_back(bool_param("center"));
            steps.push_back(bool_param("scale"));
        } else if (t == "LayerNormalization") {
            steps.push_back(axis_is({-1}, "ConvScope normalises the last axis only"));
            steps.push_back(require_false("rms_scaling", "ConvScope's LayerNormalization subtracts the mean"));
            steps.push_back(float_param("epsilon"));
            steps.push_back(bool_param("center"));
            steps.push_back(bool_param("scale"));
        }
        // Flatten has nothing to read: its data_format only orders the flattened values.
        for (auto& s : steps)
            if (!s) return s;
        // Keras writes a pool's strides even when they are the pool size, ConvScope's default.
        if ((t == "MaxPooling1D" || t == "AveragePooling1D") && out_.params.contains("strides") &&
            out_.params["strides"] == out_.params.value("pool_size", json(2)))
            out_.params.erase("strides");
        return Ok{};
    }

private:
    const json& config_;
    std::string where_;
    LayerSpec& out_;
    DataFormat format_;
    std::span<const ParamInfo> schema_;
};

// One Keras layer entry: {"class_name": ..., "config": {...}, ["name", "inbound_nodes"]}.
struct KerasLayer {
    std::string class_name;
    std::string name;
    const json* config = nullptr;
    const json* entry = nullptr;
};

Result<Shape> parse_batch_shape(const json& v, const std::string& where, const std::string& field) {
    if (!v.is_array()) return make_error(where + ": field \"" + field + "\": expected a list such as [null, 100, 5]");
    Shape s;
    for (const auto& d : v) {
        if (d.is_null()) s.dims.push_back(kAnyDim);
        else if (d.is_number_integer() && d.get<int64_t>() >= 1) s.dims.push_back(d.get<int64_t>());
        else return make_error(where + ": field \"" + field + "\": entries must be positive integers or null, got " + json_excerpt(v));
    }
    return s;
}

// The declared input of a layer config: InputLayer's batch_shape (Keras 3) or
// batch_input_shape (Keras 2), or a first layer's batch_input_shape (old Sequential).
Result<std::optional<Shape>> input_shape_of(const json& config, const std::string& where) {
    for (const char* field : {"batch_shape", "batch_input_shape"})
        if (auto it = config.find(field); it != config.end() && !it->is_null()) {
            auto s = parse_batch_shape(*it, where, field);
            if (!s) return s.error();
            return std::optional<Shape>{*s};
        }
    return std::optional<Shape>{};
}

// Layer names a Functional layer's single call reads from. Keras 2 writes a
// node as [[name, node_index, tensor_index, kwargs], ...]; Keras 3 as
// {"args": [...keras tensors with "keras_history": [name, ...]...], "kwargs": {...}}.
void collect_sources(const json& node, std::vector<std::string>& out) {
    if (node.is_object()) {
        if (auto h = node.find("keras_history"); h != node.end() && h->is_array() && !h->empty() && (*h)[0].is_string()) {
            out.push_back((*h)[0]);
            return;
        }
        for (const auto& [key, value] : node.items()) collect_sources(value, out);
    } else if (node.is_array()) {
        if (node.size() >= 3 && node[0].is_string() && node[1].is_number_integer()) {
            out.push_back(node[0]);
            return;
        }
        for (const auto& x : node) collect_sources(x, out);
    }
}

// A Functional model's layers in call order, checked to be one chain from its input.
Result<std::vector<KerasLayer>> linear_order(const std::vector<KerasLayer>& all, const std::string& src) {
    std::map<std::string, std::string> source_of;        // layer -> the layer it reads
    std::map<std::string, std::vector<std::string>> readers;
    std::vector<std::string> inputs;
    for (const auto& l : all) {
        if (l.class_name == "InputLayer") {
            inputs.push_back(l.name);
            continue;
        }
        const json* nodes = l.entry->contains("inbound_nodes") ? &(*l.entry)["inbound_nodes"] : nullptr;
        const std::string where = src + ": layer \"" + l.name + "\" (" + l.class_name + ")";
        if (!nodes || !nodes->is_array() || nodes->empty())
            return make_error(where + ": field \"inbound_nodes\": the layer is not connected to anything");
        if (nodes->size() > 1)
            return make_error(where + ": field \"inbound_nodes\": the layer is called " + std::to_string(nodes->size()) +
                              " times (a shared layer); only linear models can be imported");
        std::vector<std::string> sources;
        collect_sources((*nodes)[0], sources);
        if (sources.size() != 1) {
            std::string list;
            for (const auto& s : sources) list += (list.empty() ? "" : ", ") + text_excerpt(s);
            return make_error(where + ": field \"inbound_nodes\": the layer takes " + std::to_string(sources.size()) +
                              " inputs (" + list + "); only linear models (one input per layer) can be imported");
        }
        source_of[l.name] = sources[0];
        readers[sources[0]].push_back(l.name);
    }
    if (inputs.size() != 1)
        return make_error(src + ": the model has " + std::to_string(inputs.size()) +
                          " InputLayers; only single-input linear models can be imported");
    std::map<std::string, const KerasLayer*> by_name;
    for (const auto& l : all) by_name[l.name] = &l;
    std::vector<KerasLayer> order{*by_name[inputs[0]]};
    for (std::string current = inputs[0];;) {
        auto it = readers.find(current);
        if (it == readers.end()) break;
        if (it->second.size() > 1)
            return make_error(src + ": layer \"" + current + "\" feeds " + std::to_string(it->second.size()) +
                              " layers (\"" + it->second[0] + "\", \"" + it->second[1] +
                              "\"): the model branches; only linear models can be imported");
        current = it->second[0];
        if (!by_name.count(current)) return make_error(src + ": layer " + text_excerpt(current) + " is referenced but not defined");
        order.push_back(*by_name[current]);
        if (order.size() > all.size()) return make_error(src + ": the layer graph has a cycle");
    }
    if (order.size() != all.size())
        for (const auto& l : all)
            if (std::none_of(order.begin(), order.end(), [&](const KerasLayer& o) { return o.name == l.name; }))
                return make_error(src + ": layer \"" + l.name + "\" is not on the path from the input (it reads " +
                                  text_excerpt(source_of[l.name]) + "); only linear models can be imported");
    return order;
}

}  // namespace

Result<Stack> import_keras_model_json(std::string_view text, std::string_view source) {
    const std::string src(source);
    auto parsed = parse_json_text(text, source);
    if (!parsed) return parsed.error();
    json root = std::move(*parsed);
    if (!root.is_object() || !root.contains("class_name") || !root["class_name"].is_string())
        return make_error(src + ": not a Keras model JSON: expected an object with \"class_name\" and \"config\", as "
                                "model.to_json() writes");
    const std::string model_class = root["class_name"];
    const bool functional = model_class == "Functional" || model_class == "Model";
    if (model_class != "Sequential" && !functional)
        return make_error(src + ": field \"class_name\": " + text_excerpt(model_class) +
                          " is not a model ConvScope can import; expected \"Sequential\" or \"Functional\"");
    const json& config = root.contains("config") ? root["config"] : json();
    // Keras 2.0/2.1 wrote a Sequential's config as the bare list of layers.
    const json* layer_list = config.is_array() ? &config : config.is_object() && config.contains("layers") ? &config["layers"] : nullptr;
    if (!layer_list || !layer_list->is_array())
        return make_error(src + ": field \"config\": expected the model's \"layers\" list");

    std::vector<KerasLayer> layers;
    for (size_t i = 0; i < layer_list->size(); ++i) {
        const json& e = (*layer_list)[i];
        KerasLayer l;
        l.entry = &e;
        if (!e.is_object() || !e.contains("class_name") || !e["class_name"].is_string() || !e.contains("config") ||
            !e["config"].is_object())
            return make_error(src + ": layer " + std::to_string(i) + ": expected {\"class_name\": ..., \"config\": {...}}");
        l.class_name = e["class_name"];
        if (l.class_name.size() > kMaxNameChars)
            return make_error(src + ": layer " + std::to_string(i) + ": field \"class_name\": " +
                              text_excerpt(l.class_name) + " is not a layer class (longer than " +
                              std::to_string(kMaxNameChars) + " characters)");
        l.config = &e["config"];
        if (auto n = l.config->find("name"); n != l.config->end() && n->is_string()) l.name = *n;
        else if (auto n2 = e.find("name"); n2 != e.end() && n2->is_string()) l.name = *n2;
        if (l.name.size() > kMaxNameChars)
            return make_error(src + ": layer " + std::to_string(i) + ": field \"name\": " + text_excerpt(l.name) +
                              " is longer than " + std::to_string(kMaxNameChars) + " characters");
        layers.push_back(l);
    }
    if (functional) {
        auto ordered = linear_order(layers, src);
        if (!ordered) return ordered.error();
        layers = std::move(*ordered);
    }

    Stack stack;
    if (config.is_object() && config.contains("name") && config["name"].is_string()) stack.name = config["name"];
    stack.description = "Imported from a Keras " +
                        (root.contains("keras_version") && root["keras_version"].is_string()
                             ? root["keras_version"].get<std::string>() + " "
                             : std::string()) +
                        model_class + " model (model.to_json()).";

    // One layout for the whole stack: the first layer that states a data_format decides.
    std::optional<DataFormat> format;
    std::string format_from;
    for (const auto& l : layers) {
        auto it = l.config->find("data_format");
        if (l.class_name == "Flatten" || it == l.config->end() || it->is_null()) continue;
        const auto f = it->is_string() ? parse_data_format(it->get<std::string>()) : std::nullopt;
        const std::string where = src + ": layer \"" + l.name + "\" (" + l.class_name + ")";
        if (!f) return make_error(where + ": field \"data_format\": expected \"channels_last\" or \"channels_first\", got " + json_excerpt(*it));
        if (format && *format != *f)
            return make_error(where + ": field \"data_format\": \"" + std::string(to_string(*f)) + "\", but layer \"" +
                              format_from + "\" is \"" + std::string(to_string(*format)) +
                              "\"; a ConvScope stack has one layout for all its layers");
        if (!format) format = f, format_from = l.name;
    }
    stack.data_format = format.value_or(DataFormat::ChannelsLast);

    for (const auto& l : layers) {
        const std::string where = src + ": layer " + std::to_string(stack.layers.size()) + " (\"" + l.name + "\", " + l.class_name + ")";
        if (!stack.input_shape) {
            auto shape = input_shape_of(*l.config, where);
            if (!shape) return shape.error();
            if (*shape) stack.input_shape = **shape;
        }
        if (l.class_name == "InputLayer") continue;
        const auto type = catalogue_type(l.class_name);
        if (!type) {
            std::string hint;
            if (auto close = closest_name(l.class_name, layer_type_names())) hint = " (did you mean " + *close + "?)";
            return make_error(where + ": field \"class_name\": \"" + l.class_name +
                              "\" is not a layer type ConvScope knows" + hint + "; it knows " + known_types_text());
        }
        LayerSpec spec;
        spec.type = *type;
        spec.name = l.name.empty() ? unique_layer_name(stack, spec.type) : l.name;
        LayerReader reader(*l.config, where, spec, stack.data_format);
        if (auto st = reader.read(); !st) return st.error();
        stack.layers.push_back(std::move(spec));
    }
    // Keras 3 Sequential models without an InputLayer record the built shape on the model.
    if (!stack.input_shape && config.is_object())
        if (auto it = config.find("build_input_shape"); it != config.end() && !it->is_null()) {
            auto shape = parse_batch_shape(*it, src, "build_input_shape");
            if (!shape) return shape.error();
            stack.input_shape = *shape;
        }
    if (auto st = validate_stack(stack); !st) return make_error(src + ": " + st.error().message);
    return stack;
}

}  // namespace convscope
