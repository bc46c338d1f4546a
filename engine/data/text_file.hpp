// Reading a data file safely: only regular files, and a text data file (CSV,
// TSV, UCR, .ts) whole only up to limits::kMaxTextFileBytes and only if it is text.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace convscope::data {

// The file's text with old Mac (CR-only) line ends turned into '\n'. Refuses a
// FIFO, device or socket (they may never end), a file over the cap, and content
// that is not text; every message names the file.
Result<std::string> read_text_data_file(const std::filesystem::path& path);

// Refuses a FIFO, device or socket before any reader opens it (opening a FIFO
// blocks; /dev/zero never ends). Follows symlinks; the message names the file.
Status check_regular_file(const std::filesystem::path& path);

// "this is not a text file" when the first limits::kTextSniffBytes bytes hold a
// NUL byte or invalid UTF-8; the message names `source` and the byte offset.
Status check_is_text(std::string_view text, const std::string& source);

// True when the text ends lines with a bare '\r' (classic Mac OS) and never with '\n'.
bool has_cr_only_line_ends(std::string_view text);

}  // namespace convscope::data
