#include "export_command.hpp"

#include "common/atomic_write.hpp"
#include "common/output_file.hpp"
#include <filesystem>

#include "data/dataset_loader.hpp"
#include "diagnosis/trace_input.hpp"
#include "interop/code_export.hpp"
#include "interop/keras_json_import.hpp"
#include "interop/stack_json.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kExportUsage = R"(Usage: convscope-cli export STACK.json --to pytorch|keras|json [--data DATA] [--out FILE]

Writes the stack as runnable code: a PyTorch nn.Module whose channel sizes come
from the shape trace, or a Keras model builder with the same layer names and
parameters (docs/EXPORT.md lists what each layer becomes). Each file ends with a
block that runs a random input of the declared shape and prints the output
shape. Without --out the code goes to standard output; with it, the file is
written through a temporary file and renamed, so a failed write leaves any
existing file as it was.

--data DATA fills the sizes the stack leaves open (batch, channels, length) from
the data, read as `trace --data` reads it, so the code builds the model the
trace checked; the file's header lists which sizes came from the data. Without
it an open channel count is assumed 1 and an open length 128 steps.

Exit status: 0 written, 2 bad usage or an unreadable stack.
)";

constexpr const char* kImportUsage = R"(Usage: convscope-cli import MODEL.json [--out STACK.json]

Reads what Keras' model.to_json() writes (Keras 2 or 3; a Sequential model or a
Functional model that is one chain) and prints it as a ConvScope stack, or saves
it with --out. Unknown layer classes or settings ConvScope cannot express are
errors naming the layer and the field.

Exit status: 0 converted, 2 bad usage or a file that cannot be read or converted.
)";

// Writes to --out atomically, or to `out`.
int emit(const std::string& text, const std::string& path, std::ostream& out, std::ostream& err, const char* command) {
    if (path.empty()) {
        out << text;
        return 0;
    }
    if (auto st = write_file_atomically(path, text); !st) {
        err << "convscope-cli " << command << ": " << st.error().message << "\n";
        return 2;
    }
    return 0;
}

struct ParsedArgs {
    std::string input, out, to, data;
    bool out_given = false;  // --out "" is an error, not standard output
    bool help = false;
    std::string error;
};

ParsedArgs parse(const std::vector<std::string>& args, bool with_to) {
    ParsedArgs p;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") p.help = true;
        else if ((a == "--out" || (with_to && (a == "--to" || a == "--data"))) && i + 1 < args.size()) {
            if (a == "--out") p.out_given = true;
            (a == "--out" ? p.out : a == "--to" ? p.to : p.data) = args[++i];
        }
        else if (a == "--out" || a == "--to" || (with_to && a == "--data")) p.error = a + " needs a value";
        else if (!a.empty() && a[0] == '-') p.error = "unknown option " + a;
        else if (p.input.empty()) p.input = a;
        else p.error = "unexpected argument " + a;
    }
    return p;
}

// --out is named and is not the input; checked before the work.
bool output_allowed(const ParsedArgs& p, const char* input_role, std::ostream& err, const char* command) {
    if (!p.out_given) return true;
    if (auto st = check_output_files({{"--out", p.out}}, {{input_role, p.input}}); !st) {
        err << "convscope-cli " << command << ": " << st.error().message << "\n";
        return false;
    }
    return true;
}

}  // namespace

int run_export_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse(args, true);
    if (p.help) {
        out << kExportUsage;
        return 0;
    }
    if (!p.error.empty() || p.input.empty() || (p.to != "pytorch" && p.to != "keras" && p.to != "json")) {
        err << "convscope-cli export: "
            << (!p.error.empty() ? p.error : p.input.empty() ? "missing STACK.json" : "--to must be pytorch, keras or json")
            << "\n" << kExportUsage;
        return 2;
    }
    if (!output_allowed(p, "STACK.json", err, "export")) return 2;
    auto stack = load_stack_file(p.input);
    if (!stack) {
        err << "convscope-cli export: " << stack.error().message << "\n";
        return 2;
    }
    ExportData data;
    if (!p.data.empty()) {
        auto dataset = data::load_dataset(p.data);
        if (!dataset) {
            err << "convscope-cli export: --data: " << dataset.error().message << "\n";
            return 2;
        }
        // The shape `trace --data` traces; the exporter reads it against the stack's input (one rule
        // with the GUI's Export, which passes the window's trace input).
        data.shape = trace_input_from_dataset(*dataset, stack->data_format).shape;
        data.source = std::filesystem::path(p.data).filename().string();
    }
    const std::string text = p.to == "pytorch" ? export_pytorch(*stack, data)
                             : p.to == "keras" ? export_keras(*stack, data)
                                               : export_json(*stack);
    return emit(text, p.out, out, err, "export");
}

int run_import_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const ParsedArgs p = parse(args, false);
    if (p.help) {
        out << kImportUsage;
        return 0;
    }
    if (!p.error.empty() || p.input.empty()) {
        err << "convscope-cli import: " << (p.error.empty() ? "missing MODEL.json" : p.error) << "\n" << kImportUsage;
        return 2;
    }
    if (!output_allowed(p, "MODEL.json", err, "import")) return 2;
    auto text = read_text_file(p.input);
    if (!text) {
        err << "convscope-cli import: " << text.error().message << "\n";
        return 2;
    }
    auto stack = import_keras_model_json(*text, p.input);
    if (!stack) {
        err << "convscope-cli import: " << stack.error().message << "\n";
        return 2;
    }
    return emit(stack_to_json_text(*stack), p.out, out, err, "import");
}

}  // namespace convscope::cli
