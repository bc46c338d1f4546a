// convscope-cli: the command-line face of the engine. Each subcommand lives in
// its own *_command.cpp; this file only dispatches.
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli_commands.hpp"
#include "interrupt.hpp"

namespace {

constexpr const char* kUsage = R"(Usage: convscope-cli COMMAND [ARGS...]

Commands:
  trace STACK.json [--input-shape A,B,C | --input DATA] [--json]
                 shapes through the stack, the failing axis, ranked fixes
  inspect DATA [--json]
                 what is in a dataset and what would break a Conv1D model
  pad DATA --out X.npy [--maxlen N] [--padding pre|post] [--truncating pre|post]
                 [--value V] [--mask-out M.npy] [--lengths-out L.npy]
                 pad sequences exactly like Keras' pad_sequences
  export STACK.json --to pytorch|keras|json [--data DATA] [--out FILE]
                 the stack as runnable PyTorch or Keras code, or as JSON
  import MODEL.json [--out STACK.json]
                 a Keras model.to_json() file as a ConvScope stack
  explain TEXT | - | --file TRACEBACK.txt [--stack STACK.json] [--json]
                 a pasted PyTorch/Keras/TensorFlow shape error: the failing
                 axis and its role, the cause, fixes in that framework's terms
  layers [--markdown]
                 every layer type with its parameters, defaults and meaning
  run STACK.json --input DATA --out Y.npy [--weights W.npz | --init keras|pytorch --seed N]
                 [--dump-dir DIR]
                 run the stack forward on the data

'convscope-cli COMMAND --help' explains each. Exit status: 0 success,
1 a shape error was found (explain: the text was not recognised),
2 bad usage or an unreadable file.
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "convscope-cli " CONVSCOPE_VERSION "\n";
        return 0;
    }
    convscope::cli::install_interrupt_handlers();
    const std::string command = args[0];
    args.erase(args.begin());
    for (const auto& c : convscope::cli::commands())
        if (command == c.name) {
            try {
                return c.run(args, std::cout, std::cerr);
            } catch (const std::bad_alloc&) {
                // The commands estimate memory before they allocate; this is what slipped past.
                std::cerr << "convscope-cli " << command
                          << ": out of memory: the machine could not provide the memory this command needed. "
                             "Try a smaller input (fewer sequences, a shorter --maxlen) or free memory first.\n";
                return 2;
            } catch (const std::exception& e) {
                // Last line of defence: a bug must still end with a message, not a crash.
                std::cerr << "convscope-cli " << command << ": internal error: " << e.what() << "\n";
                return 2;
            }
        }
    std::cerr << "convscope-cli: unknown command \"" << command << "\"\n" << kUsage;
    return 2;
}
