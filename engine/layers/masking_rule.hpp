// The mask a Masking layer produces: a step is real when any channel differs from mask_value.
#pragma once

#include "tensor/data_format.hpp"
#include "tensor/step_mask.hpp"
#include "tensor/tensor.hpp"

namespace convscope {

StepMask step_mask(const Tensor& in, DataFormat format, float mask_value);

}  // namespace convscope
