#include "diagnosis/input_axes.hpp"

#include "layers/layer_support.hpp"

namespace convscope {

std::optional<InputAxes> input_axes(const Stack& stack) {
    InputAxes axes;
    axes.length = layer_support::length_axis(stack.data_format);
    axes.channels = layer_support::channels_axis(stack.data_format);
    std::vector<const LayerSpec*> leading;
    for (const auto& l : stack.layers) {
        if (!l.enabled) continue;
        if (l.type != "Permute") break;
        leading.push_back(&l);
    }
    // Output axis i of a Permute holds its input axis dims[i-1]: follow the axes back
    // from the first layer that reads them to the stored data.
    for (auto it = leading.rbegin(); it != leading.rend(); ++it) {
        const auto dims = (*it)->params.value("dims", nlohmann::json::array());
        if (!dims.is_array() || dims.size() != 2) return std::nullopt;
        std::vector<int64_t> d;
        for (const auto& v : dims) {
            if (!v.is_number_integer()) return std::nullopt;
            d.push_back(v.get<int64_t>());
        }
        if (!((d[0] == 1 && d[1] == 2) || (d[0] == 2 && d[1] == 1))) return std::nullopt;
        axes.length = d[static_cast<size_t>(axes.length - 1)];
        axes.channels = d[static_cast<size_t>(axes.channels - 1)];
    }
    return axes;
}

bool reads_input_swapped(const Stack& stack) {
    const auto axes = input_axes(stack);
    return axes && axes->length != layer_support::length_axis(stack.data_format);
}

std::vector<AxisRole> input_roles(const Stack& stack) {
    const auto axes = input_axes(stack);
    if (!axes) return sequence_roles(stack.data_format);
    std::vector<AxisRole> roles(3, AxisRole::Batch);
    roles[static_cast<size_t>(axes->length)] = AxisRole::Length;
    roles[static_cast<size_t>(axes->channels)] = AxisRole::Channels;
    return roles;
}

}  // namespace convscope
