// Splitting delimited text (CSV, TSV, whitespace tables) into records, shared by
// the CSV and UCR readers, plus the number syntax all text formats accept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace convscope::data {

struct Record {
    int64_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

// Guesses the delimiter from the first lines: ',' ';' '\t', else ' ' (runs of
// blanks), else ',' for single-column text. Quoted text is ignored while counting.
char detect_delimiter(std::string_view text);

// Splits into records, skipping blank lines and '#' comment lines. Handles
// "quoted" fields with "" escapes (also across line ends). With ' ' as the
// delimiter, runs of blanks separate fields. Errors name `source` and the line.
Result<std::vector<Record>> split_records(std::string_view text, char delimiter, const std::string& source);

// Cells that mean "no value": empty, NaN, NA, N/A, null, ?, - (any case).
bool is_missing_token(std::string_view s);
// A decimal number (surrounding blanks, a leading '+', inf/nan allowed); with
// decimal_comma, "1,5" reads as 1.5. nullopt when it is not a number.
std::optional<float> parse_number(std::string_view s, bool decimal_comma = false);

// True when `parsed` (from parse_number(text)) is infinite although the text is a
// finite number: "1e39" is beyond float32's range, "inf" is not.
bool beyond_float32(float parsed, std::string_view text);

std::string_view trim(std::string_view s);
// A short, printable excerpt of a field for error messages.
std::string quote_excerpt(std::string_view s);

}  // namespace convscope::data
