#include "forward/stack_weights.hpp"

#include <cmath>
#include <random>
#include <set>

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
            const double bound = scheme == InitScheme::Keras && w.init == WeightSpec::Init::GlorotOrKaiming
                                     ? std::sqrt(6.0 / static_cast<double>(w.fan_in + w.fan_out))
                                     : 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(w.fan_in, 1)));
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

std::map<std::string, std::vector<WeightSpec>> weight_specs(const Stack& stack, const Trace& trace) {
    std::map<std::string, std::vector<WeightSpec>> specs;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& layer = stack.layers[i];
        const TraceStep& step = trace.steps[i + 1];
        if (!layer.enabled || !step.in) continue;
        specs[layer.name] = find_layer_kind(layer.type)->weights(layer, *step.in, stack.data_format);
    }
    return specs;
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
