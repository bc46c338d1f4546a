// The error texts PyTorch and Keras print for the same mistakes, in their own
// words, so a user can match ConvScope's diagnosis to the traceback they saw.
// PyTorch's for channels_first stacks, Keras' for channels_last.
#pragma once

#include <string>
#include <string_view>

#include "tensor/shape.hpp"

namespace convscope::framework_messages {

std::string shape_list(const Shape& s);  // "[32, 5, 100]" as PyTorch prints sizes

// Keras: a layer's InputSpec rejects an axis.
std::string keras_axis_value(std::string_view layer, int64_t axis_from_end, int64_t expected, const Shape& got);
std::string keras_min_ndim(std::string_view layer, int64_t min_ndim, const Shape& got);
std::string keras_ndim(std::string_view layer, int64_t ndim, const Shape& got);
std::string keras_model_input(const Shape& expected, const Shape& got);
std::string keras_negative_output(int64_t input_size, int64_t effective_filter, int64_t stride);
std::string keras_groups(int64_t groups, int64_t channels, const Shape& got);
std::string keras_reshape(const Shape& in_without_batch, std::string_view target);
std::string keras_ragged();

// PyTorch.
std::string torch_conv_channels(int64_t groups, const Shape& weight, const Shape& got, int64_t expected, int64_t actual);
std::string torch_conv_rank(std::string_view op, const Shape& got);
std::string torch_kernel_too_big(int64_t padded_length, int64_t effective_kernel);
std::string torch_pool_too_small(const Shape& in, const Shape& out);
std::string torch_linear(int64_t rows, int64_t cols, int64_t in_features, int64_t out_features);
std::string torch_batchnorm(int64_t expected, int64_t actual);
std::string torch_layernorm(int64_t normalized, const Shape& got);
std::string torch_reshape(std::string_view target, int64_t size);
std::string torch_groups_divide(std::string_view what);
std::string torch_same_strided();
std::string torch_ragged(int64_t len0, int64_t len1, int64_t channels);

}  // namespace convscope::framework_messages
