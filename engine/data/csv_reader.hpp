// CSV/TSV/whitespace text holding one sequence: rows are steps, columns are channels.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

// One sequence as numbers, with what was found on the way.
struct CsvTable {
    char delimiter = ',';
    std::vector<std::string> header;  // empty when the first row is numbers
    int64_t rows = 0, columns = 0;
    std::vector<float> values;        // row-major [rows][columns]
    std::vector<int64_t> beyond_float32;  // indices into values: finite in the text, +-inf as float32
    int64_t missing = 0;              // empty or NaN-like cells, read as NaN
    int64_t first_missing_line = 0, first_missing_column = 0;
};

Result<CsvTable> parse_csv_table(std::string_view text, const std::string& source);

// A one-sequence dataset; `name` is the sequence's name (the file name by default).
Result<Dataset> read_csv_text(std::string_view text, const std::string& source);
Result<Dataset> read_csv(const std::filesystem::path& path);
// Every .csv/.tsv/.txt file in a folder (sorted by name) as one ragged dataset.
Result<Dataset> read_csv_folder(const std::filesystem::path& folder);

}  // namespace convscope::data
