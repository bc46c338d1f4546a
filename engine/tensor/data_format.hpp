// Where the channel axis sits: Keras' default (batch, length, channels) or
// PyTorch's (batch, channels, length).
#pragma once

#include <optional>
#include <string_view>

namespace convscope {

enum class DataFormat { ChannelsLast, ChannelsFirst };

std::string_view to_string(DataFormat f);
std::optional<DataFormat> parse_data_format(std::string_view s);
DataFormat other(DataFormat f);
// The framework whose error messages and code a stack of this format mirrors.
std::string_view framework_name(DataFormat f);

}  // namespace convscope
