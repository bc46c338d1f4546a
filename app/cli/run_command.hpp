// `convscope-cli run`: the stack's forward pass on real data, written as .npy.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

// args exclude the program and subcommand names. Returns the exit status:
// 0 written, 1 the stack does not fit the data (shape diagnosis on stdout),
// 2 bad usage, an unreadable file, weights that do not match, or a failed write.
int run_run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
