// The UCR time-series archive's text layout: one sequence per row, the class
// label first, then the values; shorter series are padded with trailing NaN.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

// Whether delimited text looks like a UCR file rather than one recording
// (rows = steps): the file name says _TRAIN/_TEST, or there is no header, the
// first column holds a few distinct integers and the rows are long.
bool looks_like_ucr(std::string_view text, const std::string& file_name);

Result<Dataset> read_ucr_text(std::string_view text, const std::string& source);
Result<Dataset> read_ucr(const std::filesystem::path& path);

}  // namespace convscope::data
