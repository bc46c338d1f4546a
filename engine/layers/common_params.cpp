#include "layers/common_params.hpp"

#include "common/limits.hpp"

namespace convscope::common_params {

using nlohmann::json;

const std::vector<std::string>& activation_names() {
    static const std::vector<std::string> names{"linear", "relu",  "sigmoid", "tanh",     "softmax", "gelu",
                                                "elu",    "selu",  "swish",   "softplus", "leaky_relu"};
    return names;
}

ParamInfo filters() {
    return {"filters", ParamKind::Int, nullptr, "Number of output channels (PyTorch: out_channels).", {}, 1, static_cast<double>(limits::kMaxChannels), true};
}
ParamInfo kernel_size() {
    return {"kernel_size", ParamKind::Int, nullptr, "Steps the kernel covers before dilation.", {}, 1, static_cast<double>(limits::kMaxKernelSize), true};
}
ParamInfo strides() {
    return {"strides", ParamKind::Int, 1, "Steps the kernel moves between outputs; >1 downsamples the length.", {}, 1, static_cast<double>(limits::kMaxStride)};
}
ParamInfo dilation_rate() {
    return {"dilation_rate", ParamKind::Int, 1,
            "Gap between kernel taps; the kernel reaches d*(k-1)+1 steps (PyTorch: dilation).", {}, 1, static_cast<double>(limits::kMaxDilation)};
}
ParamInfo padding(bool allow_causal) {
    std::vector<std::string> modes{"valid", "same"};
    if (allow_causal) modes.push_back("causal");
    return {"padding",
            ParamKind::Padding,
            "valid",
            "'valid' adds none (output shrinks by d*(k-1)); 'same' keeps ceil(L/stride) steps, the odd extra step on "
            "the right; 'causal' pads only the left so no output sees the future; an integer pads both sides "
            "(PyTorch); [left, right] pads each side explicitly.",
            modes,
            0,
            static_cast<double>(limits::kMaxPadding)};
}
ParamInfo padding_mode() {
    return {"padding_mode", ParamKind::Choice, "zeros",
            "What the padded steps hold (PyTorch): zeros, a mirror of the edge (reflect), the edge value (replicate) "
            "or the other end (circular).",
            {"zeros", "reflect", "replicate", "circular"}};
}
ParamInfo groups() {
    return {"groups", ParamKind::Int, 1,
            "Split channels into this many independent groups; must divide input channels and filters.", {}, 1, static_cast<double>(limits::kMaxChannels)};
}
ParamInfo depth_multiplier() {
    return {"depth_multiplier", ParamKind::Int, 1, "Output channels per input channel in the depthwise step.", {}, 1, static_cast<double>(limits::kMaxDepthMultiplier)};
}
ParamInfo use_bias() { return {"use_bias", ParamKind::Bool, true, "Add a learned bias per output channel."}; }
ParamInfo activation() {
    return {"activation", ParamKind::Choice, "linear", "Function applied to the output ('linear' = none).",
            activation_names()};
}
ParamInfo in_channels() {
    return {"in_channels", ParamKind::OptionalInt, nullptr,
            "Input channels the weights were built for (PyTorch's in_channels, or a built Keras kernel). "
            "Leave empty to infer it from the input, as Keras does on the first call.",
            {}, 1, static_cast<double>(limits::kMaxChannels)};
}
ParamInfo pool_size() { return {"pool_size", ParamKind::Int, 2, "Steps each pooling window covers.", {}, 1, static_cast<double>(limits::kMaxKernelSize)}; }
ParamInfo pool_strides() {
    return {"strides", ParamKind::OptionalInt, nullptr, "Steps between windows; empty = pool_size.", {}, 1, static_cast<double>(limits::kMaxStride)};
}
ParamInfo pool_padding() {
    return {"padding", ParamKind::Padding, "valid",
            "'valid' drops the last partial window; 'same' keeps ceil(L/strides) windows; an integer or [left, "
            "right] pads explicitly (PyTorch, at most pool_size / 2).",
            {"valid", "same"}, 0, static_cast<double>(limits::kMaxPadding)};
}
ParamInfo ceil_mode() {
    return {"ceil_mode", ParamKind::Bool, false,
            "PyTorch: round the output length up, keeping a last partial window that starts inside the input."};
}
ParamInfo keepdims() {
    return {"keepdims", ParamKind::Bool, false, "Keep the length axis with size 1 instead of dropping it."};
}

}  // namespace convscope::common_params
