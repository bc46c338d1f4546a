#include "layers/forward_support.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace convscope::forward_support {

kernels::Layout layout_of(DataFormat f) {
    return f == DataFormat::ChannelsLast ? kernels::Layout::ChannelsLast : kernels::Layout::ChannelsFirst;
}

void apply_activation(std::string_view name, Tensor& t) {
    auto map = [&](auto fn) {
        for (auto& v : t.data) v = fn(v);
    };
    if (name == "linear") return;
    if (name == "relu") map([](float x) { return x > 0 ? x : 0.0f; });
    else if (name == "sigmoid") map([](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    else if (name == "tanh") map([](float x) { return std::tanh(x); });
    else if (name == "gelu") map([](float x) { return 0.5f * x * (1.0f + std::erf(x / std::sqrt(2.0f))); });
    else if (name == "elu") map([](float x) { return x > 0 ? x : std::expm1(x); });
    else if (name == "selu")
        map([](float x) { return 1.0507009873554805f * (x > 0 ? x : 1.6732632423543772f * std::expm1(x)); });
    else if (name == "swish") map([](float x) { return x / (1.0f + std::exp(-x)); });
    else if (name == "softplus") map([](float x) { return x > 20 ? x : std::log1p(std::exp(x)); });
    else if (name == "leaky_relu") map([](float x) { return x > 0 ? x : 0.2f * x; });  // Keras' default slope
    else if (name == "softmax") {
        const int64_t n = t.shape.dims.empty() ? 0 : t.shape.dims.back();
        if (n <= 0) return;
        for (size_t row = 0; row + static_cast<size_t>(n) <= t.data.size(); row += static_cast<size_t>(n)) {
            float* v = t.data.data() + row;
            const float top = *std::max_element(v, v + n);
            float sum = 0;
            for (int64_t i = 0; i < n; ++i) sum += (v[i] = std::exp(v[i] - top));
            for (int64_t i = 0; i < n; ++i) v[i] /= sum;
        }
    } else {
        throw std::invalid_argument("unknown activation " + std::string(name));
    }
}

StepMask window_contamination(const StepMask& in, int64_t out_length, int64_t stride, int64_t pad_left,
                              int64_t dilation, int64_t kernel) {
    StepMask out(in.batch, std::max<int64_t>(out_length, 0));
    for (int64_t b = 0; b < in.batch; ++b)
        for (int64_t t = 0; t < out.length; ++t) {
            const int64_t start = t * stride - pad_left;
            for (int64_t j = 0; j < kernel; ++j) {
                const int64_t i = start + j * dilation;
                if (i >= 0 && i < in.length && in.at(b, i)) {
                    out.at(b, t) = 1;
                    break;
                }
            }
        }
    return out;
}

StepMask collapse(const StepMask& in) {
    StepMask out(in.batch, 1);
    for (int64_t b = 0; b < in.batch; ++b)
        for (int64_t t = 0; t < in.length; ++t)
            if (in.at(b, t)) {
                out.at(b, 0) = 1;
                break;
            }
    return out;
}

std::vector<WeightSpec> conv_weights(int64_t out_channels, int64_t in_per_group, int64_t kernel, bool bias,
                                     int64_t groups) {
    std::vector<WeightSpec> w;
    WeightSpec k;
    k.torch_name = "weight";
    k.torch_shape = Shape{out_channels, in_per_group, kernel};
    k.keras_name = "kernel";
    k.keras_shape = Shape{kernel, in_per_group, out_channels};
    k.fan_in = in_per_group * kernel;
    k.fan_out = out_channels / std::max<int64_t>(groups, 1) * kernel;
    k.from_keras = WeightSpec::FromKeras::ReverseAxes;
    w.push_back(k);
    if (bias) {
        WeightSpec b;
        b.torch_name = b.keras_name = "bias";
        b.torch_shape = b.keras_shape = Shape{out_channels};
        b.init = WeightSpec::Init::Bias;
        b.fan_in = k.fan_in;
        w.push_back(b);
    }
    return w;
}

layer_support::PadAmount resolved_padding(const LayerSpec& spec, std::span<const ParamInfo> schema, int64_t length,
                                          int64_t extent, int64_t stride) {
    return layer_support::resolve_padding(layer_support::parse_padding(layer_support::value(spec, schema, "padding")),
                                          length, extent, stride);
}

std::span<const float> values_of(const LayerWeights& w, const std::string& name, size_t expected) {
    auto it = w.find(name);
    if (it == w.end()) throw std::invalid_argument("missing weight " + name);
    if (it->second.data.size() != expected)
        throw std::invalid_argument("weight " + name + " has " + std::to_string(it->second.data.size()) +
                                    " values, expected " + std::to_string(expected));
    return it->second.data;
}

Tensor remap_steps(const Tensor& in, DataFormat f, int64_t out_length, const std::function<int64_t(int64_t)>& source) {
    const int64_t batch = in.shape[0];
    const int64_t length = in.shape[layer_support::length_axis(f)];
    const int64_t channels = in.shape[layer_support::channels_axis(f)];
    Tensor out(TensorType::sequence(f, batch, out_length, channels).shape);
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t t = 0; t < out_length; ++t) {
            const int64_t s = source(t);
            if (s < 0 || s >= length) continue;
            for (int64_t c = 0; c < channels; ++c) {
                if (f == DataFormat::ChannelsLast) out.at(b, t, c) = in.at(b, s, c);
                else out.at(b, c, t) = in.at(b, c, s);
            }
        }
    return out;
}

StepMask remap_mask(const StepMask& in, int64_t out_length, const std::function<int64_t(int64_t)>& source) {
    StepMask out(in.batch, out_length);
    for (int64_t b = 0; b < in.batch; ++b)
        for (int64_t t = 0; t < out_length; ++t) {
            const int64_t s = source(t);
            if (s >= 0 && s < in.length) out.at(b, t) = in.at(b, s);
        }
    return out;
}

WeightSpec vector_weight(std::string torch_name, std::string keras_name, int64_t size, WeightSpec::Init init) {
    WeightSpec w;
    w.torch_name = std::move(torch_name);
    w.keras_name = std::move(keras_name);
    w.torch_shape = w.keras_shape = Shape{size};
    w.init = init;
    return w;
}

}  // namespace convscope::forward_support
