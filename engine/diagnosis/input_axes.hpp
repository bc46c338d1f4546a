// Which stored axis of a rank-3 input the stack reads as batch, length and channels.
// The first sequence layer reads the data format's axes; leading Permute layers move
// them, so a stack that starts with Permute((2, 1)) reads the stored axes swapped.
// Padding, minimum lengths, axis roles and the views all ask this one rule.
#pragma once

#include <optional>
#include <vector>

#include "layers/stack.hpp"
#include "tensor/axis_role.hpp"

namespace convscope {

struct InputAxes {
    int64_t batch = 0;
    int64_t length = 1;
    int64_t channels = 2;
};

// nullopt when a leading Permute does not reorder exactly the two non-batch axes of a
// rank-3 input (the trace reports that layer's own error).
std::optional<InputAxes> input_axes(const Stack& stack);

// True when the stack reads the input's length on another stored axis than its data
// format's (a leading Permute((2, 1))).
bool reads_input_swapped(const Stack& stack);

// The roles of a rank-3 input's stored axes, as the stack reads them.
std::vector<AxisRole> input_roles(const Stack& stack);

}  // namespace convscope
