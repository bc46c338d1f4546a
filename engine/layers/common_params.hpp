// Parameter schemas shared by several layer types, so the same field reads
// and explains the same way everywhere.
#pragma once

#include "layers/param_info.hpp"

namespace convscope::common_params {

ParamInfo filters();
ParamInfo kernel_size();
ParamInfo strides();
ParamInfo dilation_rate();
ParamInfo padding(bool allow_causal);
ParamInfo padding_mode();
ParamInfo groups();
ParamInfo depth_multiplier();
ParamInfo use_bias();
ParamInfo activation();
ParamInfo in_channels();
// Pooling
ParamInfo pool_size();
ParamInfo pool_strides();
ParamInfo pool_padding();
ParamInfo ceil_mode();
ParamInfo keepdims();

const std::vector<std::string>& activation_names();

}  // namespace convscope::common_params
