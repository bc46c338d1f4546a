#include "cli_commands.hpp"

#include <array>

#include "catalogue_command.hpp"
#include "explain_command.hpp"
#include "export_command.hpp"
#include "inspect_command.hpp"
#include "pad_command.hpp"
#include "run_command.hpp"
#include "trace_command.hpp"

namespace convscope::cli {

std::span<const Command> commands() {
    static constexpr std::array<Command, 8> table{{
        {"trace", &run_trace_command},
        {"inspect", &run_inspect_command},
        {"pad", &run_pad_command},
        {"layers", &run_layers_command},
        {"run", &run_run_command},
        {"export", &run_export_command},
        {"import", &run_import_command},
        {"explain", &run_explain_command},
    }};
    return table;
}

}  // namespace convscope::cli
