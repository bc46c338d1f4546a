// The table of subcommands, shared by main.cpp and the tests.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace convscope::cli {

using CommandFn = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Command {
    const char* name;
    CommandFn run;
};

std::span<const Command> commands();

}  // namespace convscope::cli
