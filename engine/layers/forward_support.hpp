// Shared pieces of the layers' forward passes: activations, layouts,
// contamination through sliding windows, and weight descriptions.
#pragma once

#include <functional>
#include <string_view>

#include "kernels/layout.hpp"
#include "layers/layer_kind.hpp"
#include "layers/layer_support.hpp"

namespace convscope::forward_support {

kernels::Layout layout_of(DataFormat f);
// Applies a Keras activation in place; softmax runs over the last axis as Keras' does.
void apply_activation(std::string_view name, Tensor& t);

// Output step t reads input steps t*stride - pad_left + j*dilation, j < kernel.
StepMask window_contamination(const StepMask& in, int64_t out_length, int64_t stride, int64_t pad_left,
                              int64_t dilation, int64_t kernel);
// One flag per example: did anything flagged reach it.
StepMask collapse(const StepMask& in);

// PyTorch Conv1d weight [C_out, C_in/groups, K] and bias [C_out] (Keras: kernel [K, C_in/groups, C_out]).
std::vector<WeightSpec> conv_weights(int64_t out_channels, int64_t in_per_group, int64_t kernel, bool bias,
                                     int64_t groups = 1);

// A per-channel vector weight (gamma, beta, running statistics): same layout in both frameworks.
WeightSpec vector_weight(std::string torch_name, std::string keras_name, int64_t size, WeightSpec::Init init);

// Padding a sliding window adds for this input length.
layer_support::PadAmount resolved_padding(const LayerSpec& spec, std::span<const ParamInfo> schema,
                                          int64_t length, int64_t extent, int64_t stride);

// A new length axis whose step t copies input step source(t) (zero when out of range).
Tensor remap_steps(const Tensor& in, DataFormat f, int64_t out_length, const std::function<int64_t(int64_t)>& source);
StepMask remap_mask(const StepMask& in, int64_t out_length, const std::function<int64_t(int64_t)>& source);

// A read-only view of a tensor's values as a span, checked against the expected size.
std::span<const float> values_of(const LayerWeights& w, const std::string& name, size_t expected);

}  // namespace convscope::forward_support
