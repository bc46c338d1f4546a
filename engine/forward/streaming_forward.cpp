#include "forward/streaming_forward.hpp"

#include <algorithm>
#include <stdexcept>

#include "kernels/conv_workspace.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

namespace {

using layer_support::PaddingSpec;

// Computed ranges start and end on multiples of this (or at the true end), so every
// chunk runs the kernels' tiles (Winograd's 4 outputs, the depthwise loops' 16) on the
// same alignment as a whole-signal run and the arithmetic, hence the result, is identical.
constexpr int64_t kAlign = 64;

struct Range {
    int64_t begin = 0, end = 0;
    int64_t size() const { return std::max<int64_t>(end - begin, 0); }
};

// How one layer maps output steps to input steps.
struct StreamLayer {
    enum class Kind { Window, PerStep, Pad, Crop, Upsample } kind = Kind::PerStep;
    const LayerSpec* spec = nullptr;
    const LayerKind* type = nullptr;
    int64_t in_length = 0, out_length = 0, out_channels = 0;
    int64_t extent = 1, stride = 1, pad_left = 0;  // Window
    int64_t left = 0;                              // Pad / Crop: steps added or removed on the left
    int64_t size = 1;                              // Upsample
    bool keras_pooling = false;                    // pooling whose padded steps never count

    // Input steps needed for outputs [a, b), clamped to the input.
    Range needs(Range out) const {
        Range r;
        switch (kind) {
            case Kind::Window:
                r = {out.begin * stride - pad_left, (out.end - 1) * stride - pad_left + extent};
                break;
            case Kind::PerStep: r = out; break;
            case Kind::Pad: r = {out.begin - left, out.end - left}; break;
            case Kind::Crop: r = {out.begin + left, out.end + left}; break;
            case Kind::Upsample: r = {out.begin / size, (out.end - 1) / size + 1}; break;
        }
        if (out.size() == 0) return {0, 0};
        r.begin = std::clamp<int64_t>(r.begin, 0, in_length);
        r.end = std::clamp<int64_t>(r.end, r.begin, in_length);
        return r;
    }
};

std::string layer_text(const LayerSpec& l) { return "layer \"" + l.name + "\" (" + l.type + ")"; }

bool is_conv(const std::string& t) { return t == "Conv1D" || t == "DepthwiseConv1D" || t == "SeparableConv1D"; }

// The stream description of each enabled layer, or the reason one cannot stream.
Result<std::vector<StreamLayer>> describe(const Stack& stack, const Trace& trace) {
    if (!trace.ok()) return make_error("the stack does not accept the input (see the shape trace)");
    const DataFormat f = stack.data_format;
    const int64_t l_axis = layer_support::length_axis(f);
    std::vector<StreamLayer> layers;
    for (size_t i = 0; i < stack.layers.size(); ++i) {
        const LayerSpec& l = stack.layers[i];
        if (!l.enabled) continue;
        const TraceStep& step = trace.steps[i + 1];
        if (step.in->rank() != 3 || step.out->rank() != 3)
            return make_error(layer_text(l) + " does not work on a (batch, length, channels) sequence here");
        StreamLayer s;
        s.spec = &l;
        s.type = find_layer_kind(l.type);
        s.in_length = step.in->shape[l_axis];
        s.out_length = step.out->shape[l_axis];
        s.out_channels = step.out->shape[layer_support::channels_axis(f)];
        const auto& p = l.params;
        auto get = [&](const char* key, int64_t fallback) {
            return p.contains(key) && p[key].is_number() ? p[key].get<int64_t>() : fallback;
        };
        if (p.contains("activation") && p["activation"] == "softmax" && f == DataFormat::ChannelsFirst)
            return make_error(layer_text(l) + ": softmax over (batch, channels, length) normalises the whole length");
        if (is_conv(l.type) || l.type == "MaxPooling1D" || l.type == "AveragePooling1D") {
            s.kind = StreamLayer::Kind::Window;
            const bool pool = !is_conv(l.type);
            const int64_t k = pool ? get("pool_size", 2) : get("kernel_size", 1);
            const int64_t d = get("dilation_rate", 1);
            s.extent = d * (k - 1) + 1;
            s.stride = pool ? get("strides", k) : get("strides", 1);
            const auto spec = layer_support::parse_padding(p.contains("padding") ? p["padding"] : nlohmann::json("valid"));
            s.pad_left = layer_support::resolve_padding(spec, s.in_length, s.extent, s.stride).left;
            s.keras_pooling = pool && spec.mode != PaddingSpec::Mode::Explicit;
            if (p.contains("padding_mode") && p["padding_mode"] == "circular")
                return make_error(layer_text(l) + ": circular padding reads the other end of the sequence");
            if (pool && p.value("ceil_mode", false))
                return make_error(layer_text(l) + ": ceil_mode windows are clipped at the sequence's end");
        } else if (l.type == "Activation" || l.type == "Dropout" || l.type == "Masking" ||
                   l.type == "BatchNormalization") {
            s.kind = StreamLayer::Kind::PerStep;
        } else if ((l.type == "Dense" || l.type == "LayerNormalization") && f == DataFormat::ChannelsLast) {
            s.kind = StreamLayer::Kind::PerStep;  // over the channels of each step
        } else if (l.type == "ZeroPadding1D" || l.type == "Cropping1D") {
            const auto pad = layer_support::parse_padding(p.contains(l.type == "ZeroPadding1D" ? "padding" : "cropping")
                                                              ? p[l.type == "ZeroPadding1D" ? "padding" : "cropping"]
                                                              : nlohmann::json(1));
            s.kind = l.type == "ZeroPadding1D" ? StreamLayer::Kind::Pad : StreamLayer::Kind::Crop;
            s.left = pad.left;
        } else if (l.type == "UpSampling1D") {
            s.kind = StreamLayer::Kind::Upsample;
            s.size = get("size", 2);
        } else {
            return make_error(layer_text(l) + " is not length-local: its output steps depend on the whole sequence");
        }
        layers.push_back(s);
    }
    if (layers.empty()) return make_error("the stack has no enabled layers");
    return layers;
}

// Steps [r.begin, r.end) of `t` (whose step 0 is step `t_start` of its sequence).
Tensor slice_steps(const Tensor& t, DataFormat f, int64_t t_start, Range r) {
    const int64_t batch = t.shape[0];
    const int64_t length = t.shape[layer_support::length_axis(f)];
    const int64_t channels = t.shape[layer_support::channels_axis(f)];
    const int64_t n = r.size(), from = r.begin - t_start;
    if (from == 0 && n == length) return t;
    Tensor out(TensorType::sequence(f, batch, n, channels).shape);
    for (int64_t b = 0; b < batch; ++b) {
        if (f == DataFormat::ChannelsLast) {
            const float* src = t.data.data() + (b * length + from) * channels;
            std::copy(src, src + n * channels, out.data.data() + b * n * channels);
        } else {
            for (int64_t c = 0; c < channels; ++c) {
                const float* src = t.data.data() + (b * channels + c) * length + from;
                std::copy(src, src + n, out.data.data() + (b * channels + c) * n);
            }
        }
    }
    return out;
}

// Copies all steps of `src` into `dst` from step `at` on.
void place_steps(Tensor& dst, DataFormat f, int64_t at, const Tensor& src) {
    const int64_t batch = dst.shape[0];
    const int64_t length = dst.shape[layer_support::length_axis(f)];
    const int64_t channels = dst.shape[layer_support::channels_axis(f)];
    const int64_t n = src.shape[layer_support::length_axis(f)];
    for (int64_t b = 0; b < batch; ++b) {
        if (f == DataFormat::ChannelsLast) {
            const float* s = src.data.data() + b * n * channels;
            std::copy(s, s + n * channels, dst.data.data() + (b * length + at) * channels);
        } else {
            for (int64_t c = 0; c < channels; ++c) {
                const float* s = src.data.data() + (b * channels + c) * n;
                std::copy(s, s + n, dst.data.data() + (b * channels + c) * length + at);
            }
        }
    }
}

Range aligned(Range r, int64_t length) {
    if (r.size() == 0) return {0, 0};
    return {r.begin / kAlign * kAlign, std::min((r.end + kAlign - 1) / kAlign * kAlign, length)};
}

// Outputs `out` of one layer from `in`, which holds exactly the input steps layer.needs(out)
// (in_range). The layer's own forward runs on the slice, with its padding made explicit so
// that only the true ends of the sequence are padded.
Tensor compute(const StreamLayer& layer, const Tensor& in, Range in_range, Range out, const Stack& stack,
               const LayerWeights& weights, kernels::ConvWorkspace& ws) {
    const DataFormat f = stack.data_format;
    const int64_t channels_axis = layer_support::channels_axis(f);
    auto run = [&](const LayerSpec& spec, const Tensor& x) {
        return layer.type->forward(spec, ForwardArgs{x, weights, f, ws, nullptr});
    };
    if (out.size() == 0)  // nothing of this layer is needed for the chunk
        return Tensor(TensorType::sequence(f, in.shape[0], 0, layer.out_channels).shape);
    Tensor y;
    switch (layer.kind) {
        case StreamLayer::Kind::PerStep: return run(*layer.spec, in);
        case StreamLayer::Kind::Crop: return in;
        case StreamLayer::Kind::Window: {
            LayerSpec spec = *layer.spec;
            const int64_t first = out.begin * layer.stride - layer.pad_left;
            const int64_t last = (out.end - 1) * layer.stride - layer.pad_left + layer.extent;
            spec.params["padding"] = {std::max<int64_t>(-first, 0), std::max<int64_t>(last - layer.in_length, 0)};
            if (layer.keras_pooling && spec.type == "AveragePooling1D") spec.params["count_include_pad"] = false;
            y = run(spec, in);
            break;
        }
        case StreamLayer::Kind::Pad: {
            LayerSpec spec = *layer.spec;
            const int64_t before = in_range.begin - (out.begin - layer.left);
            const int64_t after = out.size() - before - in_range.size();
            spec.params["padding"] = {before, after};
            if (in_range.size() == 0) {  // the chunk lies wholly in the added zeros
                Shape s = in.shape;
                s[layer_support::length_axis(f)] = out.size();
                return Tensor(s);
            }
            y = run(spec, in);
            break;
        }
        case StreamLayer::Kind::Upsample:
            y = slice_steps(run(*layer.spec, in), f, in_range.begin * layer.size, out);
            break;
    }
    if (y.rank() != 3 || y.shape[layer_support::length_axis(f)] != out.size() || y.shape[channels_axis] < 1)
        throw std::logic_error("streaming: " + layer_text(*layer.spec) + " produced " + y.shape.to_string() +
                               " for " + std::to_string(out.size()) + " steps");
    return y;
}

}  // namespace

std::optional<std::string> streaming_obstacle(const Stack& stack, const Trace& trace) {
    auto layers = describe(stack, trace);
    if (!layers) return layers.error().message;
    return std::nullopt;
}

Result<Tensor> run_forward_streaming(const Stack& stack, const Tensor& input, const StackWeights& weights,
                                     const StreamingOptions& options) {
    const Trace trace = trace_stack(stack, TraceInput::uniform(input.shape), {false, false});
    auto described = describe(stack, trace);
    if (!described) return described.error();
    const std::vector<StreamLayer>& layers = *described;
    const DataFormat f = stack.data_format;
    const TensorType& out_type = *trace.steps.back().out;
    Tensor output(out_type.shape);  // preallocated: the only full-length buffer besides the input
    const int64_t total = layers.back().out_length;
    const int64_t chunk = std::max<int64_t>((options.chunk_steps + kAlign - 1) / kAlign * kAlign, kAlign);

    static const LayerWeights no_weights;
    std::vector<const LayerWeights*> layer_weights;
    for (const auto& l : layers) {
        auto it = weights.by_layer.find(l.spec->name);
        layer_weights.push_back(it == weights.by_layer.end() ? &no_weights : &it->second);
    }
    kernels::ConvWorkspace ws;
    const size_t n = layers.size();
    std::vector<Range> computed(n), needed(n);
    for (int64_t start = 0; start < total; start += chunk) {
        // Backwards: which outputs each layer must produce (aligned) and which inputs that takes.
        Range want{start, std::min(start + chunk, total)};
        for (size_t k = n; k-- > 0;) {
            computed[k] = aligned(want, layers[k].out_length);
            needed[k] = layers[k].needs(computed[k]);
            want = needed[k];
        }
        // Forwards, each layer on the slice of its predecessor's output it needs.
        Tensor current = slice_steps(input, f, 0, needed[0]);
        try {
            for (size_t k = 0; k < n; ++k) {
                if (k > 0) current = slice_steps(current, f, computed[k - 1].begin, needed[k]);
                current = compute(layers[k], current, needed[k], computed[k], stack, *layer_weights[k], ws);
            }
        } catch (const std::invalid_argument& e) {
            return make_error(std::string("streaming forward: ") + e.what());
        }
        const Range done{start, std::min(start + chunk, total)};
        place_steps(output, f, done.begin, slice_steps(current, f, computed[n - 1].begin, done));
        if (options.progress && !options.progress(done.end, total)) return make_error("cancelled");
    }
    return output;
}

}  // namespace convscope
