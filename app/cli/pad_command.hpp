// `convscope-cli pad DATA --out X.npy ...`: pad/truncate sequences exactly as
// Keras' pad_sequences does and save them, with the mask and lengths if asked.
// Plain C++ (no Qt) so tests can call it with string streams.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

// `args` exclude the program and subcommand names. Returns 0 on success, 2 on
// bad usage, unreadable input or a failed write (with the reason on `err`).
int run_pad_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
