#include "layers/framework_messages.hpp"

namespace convscope::framework_messages {

std::string shape_list(const Shape& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.dims.size(); ++i) {
        if (i) out += ", ";
        out += s.dims[i] < 0 ? std::string("?") : std::to_string(s.dims[i]);
    }
    return out + "]";
}

std::string keras_axis_value(std::string_view layer, int64_t axis_from_end, int64_t expected, const Shape& got) {
    return "Input 0 of layer \"" + std::string(layer) + "\" is incompatible with the layer: expected axis " +
           std::to_string(axis_from_end) + " of input shape to have value " + std::to_string(expected) +
           ", but received input with shape " + got.to_string();
}

std::string keras_min_ndim(std::string_view layer, int64_t min_ndim, const Shape& got) {
    return "Input 0 of layer \"" + std::string(layer) + "\" is incompatible with the layer: expected min_ndim=" +
           std::to_string(min_ndim) + ", found ndim=" + std::to_string(got.rank()) +
           ". Full shape received: " + got.to_string();
}

std::string keras_ndim(std::string_view layer, int64_t ndim, const Shape& got) {
    return "Input 0 of layer \"" + std::string(layer) + "\" is incompatible with the layer: expected ndim=" +
           std::to_string(ndim) + ", found ndim=" + std::to_string(got.rank()) +
           ". Full shape received: " + got.to_string();
}

std::string keras_model_input(const Shape& expected, const Shape& got) {
    return "Input 0 of layer \"model\" is incompatible with the layer: expected shape=" + expected.to_string() +
           ", found shape=" + got.to_string();
}

std::string keras_negative_output(int64_t input_size, int64_t effective_filter, int64_t stride) {
    // TensorFlow's VALID output size: (input - filter + stride) / stride.
    const int64_t out = (input_size - effective_filter + stride) / stride;
    return "Computed output size would be negative: " + std::to_string(out) +
           " [input_size: " + std::to_string(input_size) + ", effective_filter_size: " +
           std::to_string(effective_filter) + ", stride: " + std::to_string(stride) + "]";
}

std::string keras_groups(int64_t groups, int64_t channels, const Shape& got) {
    return "The number of input channels must be evenly divisible by the number of groups. Received groups=" +
           std::to_string(groups) + ", but the input has " + std::to_string(channels) +
           " channels (full input shape is " + got.to_string() + ").";
}

std::string keras_reshape(const Shape& in_without_batch, std::string_view target) {
    return "total size of new array must be unchanged, input_shape = " + shape_list(in_without_batch) +
           ", output_shape = " + std::string(target);
}

std::string keras_ragged() { return "Can't convert non-rectangular Python sequence to Tensor."; }

std::string torch_conv_channels(int64_t groups, const Shape& weight, const Shape& got, int64_t expected, int64_t actual) {
    return "Given groups=" + std::to_string(groups) + ", weight of size " + shape_list(weight) + ", expected input" +
           shape_list(got) + " to have " + std::to_string(expected) + " channels, but got " +
           std::to_string(actual) + " channels instead";
}

std::string torch_conv_rank(std::string_view op, const Shape& got) {
    return "Expected 2D (unbatched) or 3D (batched) input to " + std::string(op) + ", but got input of size: " +
           shape_list(got);
}

std::string torch_kernel_too_big(int64_t padded_length, int64_t effective_kernel) {
    return "Calculated padded input size per channel: (" + std::to_string(padded_length) + "). Kernel size: (" +
           std::to_string(effective_kernel) + "). Kernel size can't be greater than actual input size";
}

std::string torch_pool_too_small(const Shape& in, const Shape& out) {
    auto x = [](const Shape& s) {
        std::string t;
        for (size_t i = 0; i < s.dims.size(); ++i) t += (i ? "x" : "") + std::to_string(s.dims[i]);
        return t;
    };
    return "Given input size: (" + x(in) + "). Calculated output size: (" + x(out) + "). Output size is too small";
}

std::string torch_linear(int64_t rows, int64_t cols, int64_t in_features, int64_t out_features) {
    return "mat1 and mat2 shapes cannot be multiplied (" + std::to_string(rows) + "x" + std::to_string(cols) +
           " and " + std::to_string(in_features) + "x" + std::to_string(out_features) + ")";
}

std::string torch_batchnorm(int64_t expected, int64_t actual) {
    return "running_mean should contain " + std::to_string(actual) + " elements not " + std::to_string(expected);
}

std::string torch_layernorm(int64_t normalized, const Shape& got) {
    return "Given normalized_shape=[" + std::to_string(normalized) + "], expected input with shape [*, " +
           std::to_string(normalized) + "], but got input of size" + shape_list(got);
}

std::string torch_reshape(std::string_view target, int64_t size) {
    return "shape '" + std::string(target) + "' is invalid for input of size " + std::to_string(size);
}

std::string torch_groups_divide(std::string_view what) { return std::string(what) + " must be divisible by groups"; }

std::string torch_same_strided() { return "padding='same' is not supported for strided convolutions"; }

std::string torch_ragged(int64_t len0, int64_t len1, int64_t channels) {
    return "stack expects each tensor to be equal size, but got [" + std::to_string(len0) + ", " +
           std::to_string(channels) + "] at entry 0 and [" + std::to_string(len1) + ", " + std::to_string(channels) +
           "] at entry 1";
}

}  // namespace convscope::framework_messages
