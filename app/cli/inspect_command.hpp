// `convscope-cli inspect DATA [--json]`: what is in a data file and what would
// trip a Conv1D model. Plain C++ (no Qt) so tests can call it with string streams.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

// `args` exclude the program and subcommand names. Returns 0 on success, 2 on
// bad usage or unreadable input (with the reason on `err`).
int run_inspect_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
