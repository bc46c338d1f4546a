// What each axis of a tensor means, so a diagnosis can say "the channels axis"
// rather than "axis 2".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tensor/data_format.hpp"
#include "tensor/shape.hpp"

namespace convscope {

enum class AxisRole { Batch, Length, Channels, Features };

std::string_view to_string(AxisRole r);

// A shape together with the role of each axis.
struct TensorType {
    Shape shape;
    std::vector<AxisRole> roles;

    // (batch, length, channels) or (batch, channels, length) for a sequence batch.
    static TensorType sequence(DataFormat f, int64_t batch, int64_t length, int64_t channels);
    // (batch, features).
    static TensorType flat(int64_t batch, int64_t features);

    int64_t rank() const { return shape.rank(); }
    // Index of the first axis with this role, or -1.
    int64_t axis_of(AxisRole r) const;
    bool has(AxisRole r) const { return axis_of(r) >= 0; }
    int64_t dim(AxisRole r) const;  // kAnyDim when absent or unknown
    // "(batch=32, length=100, channels=5)"
    std::string describe() const;
    bool operator==(const TensorType&) const = default;
};

// Axis roles for a rank-3 sequence tensor in the given layout.
std::vector<AxisRole> sequence_roles(DataFormat f);

}  // namespace convscope
