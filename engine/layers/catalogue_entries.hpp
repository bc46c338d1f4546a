// The layer types of the catalogue, one per file; layer_catalogue.cpp lists them.
#pragma once

#include "layers/layer_kind.hpp"

namespace convscope {

const LayerKind& conv1d_kind();
const LayerKind& conv1d_transpose_kind();
const LayerKind& depthwise_conv1d_kind();
const LayerKind& separable_conv1d_kind();
const LayerKind& max_pooling1d_kind();
const LayerKind& average_pooling1d_kind();
const LayerKind& global_max_pooling1d_kind();
const LayerKind& global_average_pooling1d_kind();
const LayerKind& zero_padding1d_kind();
const LayerKind& cropping1d_kind();
const LayerKind& up_sampling1d_kind();
const LayerKind& masking_kind();
const LayerKind& permute_kind();
const LayerKind& reshape_kind();
const LayerKind& flatten_kind();
const LayerKind& dense_kind();
const LayerKind& activation_kind();
const LayerKind& dropout_kind();
const LayerKind& batch_normalization_kind();
const LayerKind& layer_normalization_kind();

}  // namespace convscope
