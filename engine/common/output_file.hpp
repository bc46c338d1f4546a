// The rules every command's output file obeys before any work starts: it is
// named, it is none of the command's inputs (compared by device and inode, so
// through symbolic and hard links too), no two outputs are one file, and its
// folder exists and is writable.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace convscope {

struct NamedPath {
    std::string option;           // how the user gave it: "--out", "--weights", "STACK.json"
    std::filesystem::path path;
};

// Errors name the option and the file: "refusing to overwrite the input STACK.json
// m.json with --out m.json (the same file, perhaps through a link)". A folder input
// (a dataset folder) also refuses an output inside it, which could replace a member.
Status check_output_files(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs);

}  // namespace convscope
