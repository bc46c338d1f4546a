#include "tensor/data_format.hpp"

namespace convscope {

std::string_view to_string(DataFormat f) {
    return f == DataFormat::ChannelsLast ? "channels_last" : "channels_first";
}

std::optional<DataFormat> parse_data_format(std::string_view s) {
    if (s == "channels_last") return DataFormat::ChannelsLast;
    if (s == "channels_first") return DataFormat::ChannelsFirst;
    return std::nullopt;
}

DataFormat other(DataFormat f) {
    return f == DataFormat::ChannelsLast ? DataFormat::ChannelsFirst : DataFormat::ChannelsLast;
}

std::string_view framework_name(DataFormat f) {
    return f == DataFormat::ChannelsLast ? "Keras" : "PyTorch";
}

}  // namespace convscope
