// Saving never loses the user's data: write a temporary file next to the target,
// flush it, then rename it over the target in one step. A symbolic link is
// followed (its target is replaced, the link stays), an existing file keeps its
// mode, a character device or FIFO (/dev/null) is written in place, and the
// temporary file is removed on failure and on SIGINT/SIGTERM (see
// pending_temp_files.hpp).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace convscope {

Status write_file_atomically(const std::filesystem::path& target, std::span<const char> bytes);
inline Status write_file_atomically(const std::filesystem::path& target, std::string_view text) {
    return write_file_atomically(target, std::span<const char>(text.data(), text.size()));
}
inline Status write_file_atomically(const std::filesystem::path& target, const std::string& text) {
    return write_file_atomically(target, std::string_view(text));
}

// Reads a whole file; the error names the file and the reason.
Result<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace convscope
