#include "tensor/axis_role.hpp"

namespace convscope {

std::string_view to_string(AxisRole r) {
    switch (r) {
        case AxisRole::Batch: return "batch";
        case AxisRole::Length: return "length";
        case AxisRole::Channels: return "channels";
        case AxisRole::Features: return "features";
    }
    return "?";
}

std::vector<AxisRole> sequence_roles(DataFormat f) {
    if (f == DataFormat::ChannelsLast) return {AxisRole::Batch, AxisRole::Length, AxisRole::Channels};
    return {AxisRole::Batch, AxisRole::Channels, AxisRole::Length};
}

TensorType TensorType::sequence(DataFormat f, int64_t batch, int64_t length, int64_t channels) {
    if (f == DataFormat::ChannelsLast) return {Shape{batch, length, channels}, sequence_roles(f)};
    return {Shape{batch, channels, length}, sequence_roles(f)};
}

TensorType TensorType::flat(int64_t batch, int64_t features) {
    return {Shape{batch, features}, {AxisRole::Batch, AxisRole::Features}};
}

int64_t TensorType::axis_of(AxisRole r) const {
    for (size_t i = 0; i < roles.size(); ++i)
        if (roles[i] == r) return static_cast<int64_t>(i);
    return -1;
}

int64_t TensorType::dim(AxisRole r) const {
    const int64_t a = axis_of(r);
    return a < 0 ? kAnyDim : shape[a];
}

std::string TensorType::describe() const {
    std::string s = "(";
    for (size_t i = 0; i < shape.dims.size(); ++i) {
        if (i) s += ", ";
        s += i < roles.size() ? std::string(to_string(roles[i])) : std::string("axis");
        s += "=";
        s += shape.dims[i] == kAnyDim ? std::string("None") : std::to_string(shape.dims[i]);
    }
    return s + ")";
}

}  // namespace convscope
