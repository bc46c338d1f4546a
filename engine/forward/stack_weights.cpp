#include "forward/stack_weights.hpp"

#include <cmath>
#include <random>
#include <set>
#include <utility>

#include "data/npz_reader.hpp"

namespace convscope {

namespace {

// A stream of uniform floats that is the same on every platform: mt19937_64 is fully
// specified by the standard, and the conversion to [0, 1) is done here rather than by
// std::uniform_real_distribution, whose algorithm is implementation-defined.
class UniformStream {
public:
    UniformStream(uint64_t seed, const std::string& name) : engine_(seed ^ fnv1a(name)) {}
    float next(float low, float high) {
        const double u = static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
        return static_cast<float>(low + (high - low) * u);
    }

private:
    static uint64_t fnv1a(const std::string& s) {
        uint64_t h = 1469598103934665603ull;
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        return h;
    }
    std::mt19937_64 engine_;
};

// Each framework derives the fans from its own kernel layout, and the two disagree for
// grouped and depthwise kernels (Keras: fan_in = K * C_in for a depthwise kernel
// [K, C, dm]; PyTorch: K for its [C*dm, 1, K]), so they are computed from the shapes.
// Keras: receptive field = product of the leading axes; fan_in = shape[-2] * that,
// fan_out = shape[-1] * that ([in, units] for Dense).
std::pair<double, double> keras_fans(const Shape& k) {
    if (k.rank() < 2) return {1.0, 1.0};
    double receptive = 1;
    for (int64_t i = 0; i + 2 < k.rank(); ++i) receptive *= static_cast<double>(k[i]);
    return {static_cast<double>(k[k.rank() - 2]) * receptive, static_cast<double>(k[k.rank() - 1]) * receptive};
}
// PyTorch (kaiming_uniform with a = sqrt(5), bound 1 / sqrt(fan_in)): fan_in = size(1) * kernel axes.
double torch_fan_in(const Shape& w) {
    double f = w.rank() > 1 ? static_cast<double>(w[1]) : 1.0;
    for (int64_t i = 2; i < w.rank(); ++i) f *= static_cast<double>(w[i]);
    return std::max(f, 1.0);
}

Tensor initial_tensor(const WeightSpec& w, InitScheme scheme, UniformStream& rng) {
    Tensor t(w.torch_shape);
    switch (w.init) {
        case WeightSpec::Init::Zeros: return t;
        case WeightSpec::Init::Ones:
            std::fill(t.data.begin(), t.data.end(), 1.0f);
            return t;
        case WeightSpec::Init::Bias:
            if (scheme == InitScheme::Keras) return t;
            [[fallthrough]];
        case WeightSpec::Init::GlorotOrKaiming: {
            double bound = 0;
            if (w.init == WeightSpec::Init::Bias) {
                bound = 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(w.fan_in, 1)));
            } else if (scheme == InitScheme::Keras) {
                const auto [fan_in, fan_out] = keras_fans(w.keras_shape);
                bound = std::sqrt(6.0 / (fan_in + fan_out));
            } else {
                bound = 1.0 / std::sqrt(torch_fan_in(w.torch_shape));
            }
            for (auto& v : t.data) v = rng.next(static_cast<float>(-bound), static_cast<float>(bound));
            return t;
        }
    }
    return t;
}

// Keras layout -> PyTorch layout.
Tensor from_keras(const WeightSpec& w, const Tensor& k) {
    Tensor t(w.torch_shape);
    const auto& ks = w.keras_shape;
    switch (w.from_keras) {
        case WeightSpec::FromKeras::Same: return Tensor(w.torch_shape, k.data);
        case WeightSpec::FromKeras::Transpose2D:  // [F, units] -> [units, F]
            for (int64_t i = 0; i < ks[0]; ++i)
                for (int64_t j = 0; j < ks[1]; ++j) t.data[static_cast<size_t>(j * ks[0] + i)] = k.data[static_cast<size_t>(i * ks[1] + j)];
            return t;
        case WeightSpec::FromKeras::ReverseAxes:  // [K, A, B] -> [B, A, K]
        case WeightSpec::FromKeras::PointwiseKernel:
            for (int64_t a = 0; a < ks[0]; ++a)
                for (int64_t b = 0; b < ks[1]; ++b)
                    for (int64_t c = 0; c < ks[2]; ++c)
                        t.data[static_cast<size_t>((c * ks[1] + b) * ks[0] + a)] =
                            k.data[static_cast<size_t>((a * ks[1] + b) * ks[2] + c)];
            return t;
        case WeightSpec::FromKeras::DepthwiseKernel:  // [K, C, dm] -> [C*dm, 1, K], output channel c*dm + m
            for (int64_t a = 0; a < ks[0]; ++a)
                for (int64_t c = 0; c < ks[1]; ++c)
                    for (int64_t m = 0; m < ks[2]; ++m)
                        t.data[static_cast<size_t>((c * ks[2] + m) * ks[0] + a)] =
                            k.data[static_cast<size_t>((a * ks[1] + c) * ks[2] + m)];
            return t;
    }
    return t;
}

}  // namespace

std::map<std::string, std::vector<WeightSpec>> weight_specs(const Stack& stack, const Trace& given) {
    // A trace of another stack (a caller racing an edit) must not be read as this one's:
    // then trace this stack on the same input.
    bool matches = given.steps.size() == stack.layers.size() + 1;
    for (size_t i = 0; matches && i < stack.layers.size(); ++i)
        matches = given.steps[i + 1].name == stack.layers[i].name && given.steps[i + 1].type == stack.layers[i].type;
    const Trace own = matches ? Trace{} : trace_stack(stack, given.input, {false, false});
    const Trace& trace = matches ? given : own;
    std::map<std::string, std::vector<WeightSpec>> specs;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& layer = stack.layers[i];
        const TraceStep& step = trace.steps[i + 1];
        if (!layer.enabled || !step.in) continue;
        specs[layer.name] = find_layer_kind(layer.type)->weights(layer, *step.in, stack.data_format);
    }
    return specs;
}

Status weights_fit(const Stack& stack, const Trace& trace, const StackWeights& weights) {
    for (const auto& [name, specs] : weight_specs(stack, trace)) {
        const auto layer = weights.by_layer.find(name);
        for (const auto& w : specs) {
            const Tensor* found = nullptr;
            if (layer != weights.by_layer.end())
                if (auto it = layer->second.find(w.torch_name); it != layer->second.end()) found = &it->second;
            const std::string where = "layer \"" + name + "\": weight \"" + w.torch_name + "\"";
            if (!found)
                return make_error("The weights (" + weights.origin + ") do not fit the stack: " + where + " " +
                                  w.torch_shape.to_string() + " is missing.");
            if (found->size() != w.torch_shape.element_count())
                return make_error("The weights (" + weights.origin + ") do not fit the stack as it is now: " + where +
                                  " is " + found->shape.to_string() + " (" + std::to_string(found->size()) +
                                  " values) but the stack needs " + w.torch_shape.to_string() + " (" +
                                  std::to_string(w.torch_shape.element_count()) + " values). Rebuild the weights for this stack.");
        }
    }
    return Ok{};
}

StackWeights initialise_weights(const Stack& stack, const Trace& trace, InitScheme scheme, uint64_t seed) {
    StackWeights weights;
    weights.origin = std::string(scheme == InitScheme::Keras ? "Keras glorot_uniform" : "PyTorch default") +
                     " initialisation, seed " + std::to_string(seed);
    for (const auto& [name, specs] : weight_specs(stack, trace)) {
        UniformStream rng(seed, name);
        auto& layer = weights.by_layer[name];
        for (const auto& w : specs) layer[w.torch_name] = initial_tensor(w, scheme, rng);
    }
    return weights;
}

Result<StackWeights> load_weights_npz(const std::filesystem::path& path, const Stack& stack, const Trace& trace) {
    auto entries = data::list_npz(path);
    if (!entries) return entries.error();
    std::set<std::string> keys;
    for (const auto& e : *entries) keys.insert(e.name);
    const auto specs = weight_specs(stack, trace);
    // Keras names hold a '/', PyTorch's a '.'; a file may not mix them.
    bool keras = false, torch = false;
    for (const auto& k : keys) (k.find('/') != std::string::npos ? keras : torch) = true;
    if (keras && torch)
        return make_error(path.string() + ": mixes Keras names (layer/kernel) and PyTorch names (layer.weight); use one");
    StackWeights weights;
    weights.origin = path.string() + (keras ? " (Keras names)" : " (PyTorch state_dict names)");
    std::set<std::string> used;
    for (const auto& [layer, layer_specs] : specs) {
        for (const auto& w : layer_specs) {
            const std::string key = layer + (keras ? "/" + w.keras_name : "." + w.torch_name);
            const Shape& expected = keras ? w.keras_shape : w.torch_shape;
            if (!keys.count(key))
                return make_error(path.string() + ": layer \"" + layer + "\": missing weight \"" + key + "\" of shape " +
                                  expected.to_string());
            auto array = data::read_npz_array(path, key);
            if (!array) return array.error();
            const Shape found(array->shape());
            if (found != expected)
                return make_error(path.string() + ": layer \"" + layer + "\": weight \"" + key + "\" has shape " +
                                  found.to_string() + ", expected " + expected.to_string() +
                                  (keras ? " (Keras layout)" : " (PyTorch layout)"));
            Tensor t(found);
            array->read_range(0, t.data);
            weights.by_layer[layer][w.torch_name] = keras ? from_keras(w, t) : std::move(t);
            used.insert(key);
        }
    }
    for (const auto& k : keys)
        if (!used.count(k)) {
            // PyTorch's BatchNorm1d also saves a step counter that inference does not need.
            if (k.size() > 20 && k.compare(k.size() - 20, 20, ".num_batches_tracked") == 0) continue;
            const auto layer = k.substr(0, k.find(keras ? '/' : '.'));
            return make_error(path.string() + ": extra weight \"" + k + "\": " +
                              (specs.count(layer) ? "layer \"" + layer + "\" has no such weight"
                                                  : "no enabled layer is named \"" + layer + "\""));
        }
    return weights;
}

}  // namespace convscope
