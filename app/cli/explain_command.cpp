#include "explain_command.hpp"

#include <fstream>
#include <iostream>
#include <optional>

#include "explain/explain.hpp"
#include "explain/explain_report.hpp"
#include "explain/stack_match.hpp"
#include "interop/stack_json.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kUsage = R"(Usage: convscope-cli explain TEXT | - | --file TRACEBACK.txt [--stack STACK.json] [--json]

Reads a PyTorch (1.13, 2.x), Keras 2/3 or TensorFlow error message, or a whole
traceback (chained exceptions and Keras' "Exception encountered when calling
layer" blocks included), and says which shape mistake it reports: the numbers
it carries, the failing axis and its role in that framework's layout, the
likely cause in plain words, and ranked fixes in that framework's own terms.
Text that is not a recognised shape error is said to be so, with the list of
messages looked for.

Input (one of):
  TEXT                  the message itself (quote it; several words are joined)
  -                     read the text from standard input
  --file FILE           read the text from a file (at most 1 MiB)

  --stack STACK.json    also find the stack layer the message belongs to,
                        re-run the shape trace on the shape the message reports
                        and offer the trace's verified fixes
  --json                one JSON object: recognised, framework, kind, title,
                        line, message, shapes, expected, actual, quantity,
                        axis, role, layer_type, layer_name, explanation,
                        fixes [{description, source: message|trace, id?,
                        stack? (the corrected stack, with --stack)}], stack?
                        {layer, layer_name, reason, traced_on, trace, agrees},
                        also_found [...]; when not recognised: looked_for

Exit status: 0 recognised, 1 not recognised, 2 bad usage or an unreadable file.
)";

// Reads at most kMaxExplainBytes + 1 so an oversized input is refused, not slurped.
std::optional<std::string> read_capped(std::istream& s) {
    std::string text(explain::kMaxExplainBytes + 1, '\0');
    s.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (s.bad()) return std::nullopt;
    text.resize(static_cast<size_t>(s.gcount()));
    return text;
}

}  // namespace

int run_explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    return run_explain_command(args, out, err, std::cin);
}

int run_explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, std::istream& in) {
    std::string file, stack_path, text;
    bool json = false, from_stdin = false, have_text = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto next = [&](const char* flag) -> const std::string* {
            if (i + 1 >= args.size()) {
                err << "convscope-cli explain: " << flag << " needs a value\n";
                return nullptr;
            }
            return &args[++i];
        };
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--file") {
            const auto* v = next("--file");
            if (!v) return 2;
            file = *v;
        } else if (a == "--stack") {
            const auto* v = next("--stack");
            if (!v) return 2;
            stack_path = *v;
        } else if (a == "-") {
            from_stdin = true;
        } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
            err << "convscope-cli explain: unknown option " << a << "\n" << kUsage;
            return 2;
        } else {
            // An unquoted message arrives as several words.
            text += (have_text ? " " : "") + a;
            have_text = true;
        }
    }
    if (int(have_text) + int(from_stdin) + int(!file.empty()) != 1) {
        err << "convscope-cli explain: give the text, '-' for standard input, or --file FILE (exactly one)\n" << kUsage;
        return 2;
    }
    if (from_stdin) {
        auto t = read_capped(in);
        if (!t) {
            err << "convscope-cli explain: cannot read standard input\n";
            return 2;
        }
        text = std::move(*t);
    } else if (!file.empty()) {
        std::ifstream f(file, std::ios::binary);
        if (!f) {
            err << "convscope-cli explain: cannot open " << file << "\n";
            return 2;
        }
        auto t = read_capped(f);
        if (!t) {
            err << "convscope-cli explain: cannot read " << file << "\n";
            return 2;
        }
        text = std::move(*t);
    }
    const auto explanation = explain::explain_text(text);
    if (!explanation) {
        err << "convscope-cli explain: " << (file.empty() ? std::string("input") : file) << ": " << explanation.error().message << "\n";
        return 2;
    }
    std::optional<Stack> stack;
    if (!stack_path.empty()) {
        auto loaded = load_stack_file(stack_path);
        if (!loaded) {
            err << "convscope-cli explain: " << loaded.error().message << "\n";
            return 2;
        }
        stack = std::move(*loaded);
    }
    std::optional<explain::StackMatch> match;
    if (stack && explanation->primary()) match = explain::match_stack(*explanation->primary(), *stack);
    const explain::StackMatch* mp = match ? &*match : nullptr;
    const Stack* sp = stack ? &*stack : nullptr;
    if (json) out << explain::explanation_to_json(*explanation, mp, sp).dump(2) << "\n";
    else out << explain::format_explanation(*explanation, mp, sp);
    return explanation->recognised() ? 0 : 1;
}

}  // namespace convscope::cli
