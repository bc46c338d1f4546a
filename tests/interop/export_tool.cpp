// Test-only: prints a stack's export, for tests/golden/check_exported_pytorch.py
// (there is no export command in convscope-cli yet).
//   convscope_export_tool [--pytorch | --keras | --json] STACK.convscope.json
#include <iostream>
#include <string>

#include "interop/code_export.hpp"
#include "interop/stack_json.hpp"

int main(int argc, char** argv) {
    std::string kind = "--pytorch", path;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--pytorch" || a == "--keras" || a == "--json") kind = a;
        else path = a;
    }
    if (path.empty()) {
        std::cerr << "usage: convscope_export_tool [--pytorch|--keras|--json] STACK.convscope.json\n";
        return 2;
    }
    auto stack = convscope::load_stack_file(path);
    if (!stack) {
        std::cerr << stack.error().message << "\n";
        return 2;
    }
    std::cout << (kind == "--keras"  ? convscope::export_keras(*stack)
                  : kind == "--json" ? convscope::export_json(*stack)
                                     : convscope::export_pytorch(*stack));
    return 0;
}
