// The sktime / UEA ".ts" format: @-tagged header lines, then @data with one case
// per line: dimensions separated by ':', values by ',', '?' for missing, and
// the class label last when @classLabel is true.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

struct TsHeader {
    std::string problem_name;
    bool timestamps = false;
    bool missing = false;
    bool univariate = true;
    int64_t dimensions = 0;       // 0 when not declared
    bool equal_length = false;
    int64_t series_length = 0;    // 0 when not declared
    bool has_labels = false;
    bool regression_targets = false;  // @targetLabel true: the label is a number to predict, not a class
    std::vector<std::string> class_labels;
};

Result<Dataset> read_ts_text(std::string_view text, const std::string& source);
Result<Dataset> read_ts(const std::filesystem::path& path);

}  // namespace convscope::data
