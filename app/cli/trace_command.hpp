// `convscope-cli trace`: the shape trace of a stack on a shape or on real data.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

// args exclude the program and subcommand names. Returns the exit status:
// 0 the trace passes, 1 a shape error was found, 2 bad usage or an unreadable file.
int run_trace_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
