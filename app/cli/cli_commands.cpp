#include "cli_commands.hpp"

#include <array>

#include "trace_command.hpp"

namespace convscope::cli {

std::span<const Command> commands() {
    static constexpr std::array<Command, 1> table{{
        {"trace", &run_trace_command},
    }};
    return table;
}

}  // namespace convscope::cli
