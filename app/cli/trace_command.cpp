#include "trace_command.hpp"

#include "data/dataset_loader.hpp"
#include "diagnosis/trace_input.hpp"
#include "diagnosis/trace_report.hpp"
#include "interop/stack_json.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kUsage = R"(Usage: convscope-cli trace STACK.json [--input-shape 32,5,100 | --data DATA] [--json]

Traces shapes through the layer stack and reports the first layer that cannot
accept its input: the axis at fault and its role, what was expected and found,
a plain-words explanation, the error PyTorch (channels_first stacks) or Keras
(channels_last stacks) would print, and ranked fixes. Every fix has been applied
to a copy of the stack and re-traced: its stack passes.

Input (one of; default: the stack's declared input_shape with batch 1):
  --input-shape A,B,C   the data's shape, batch first, e.g. 32,5,100
  --data DATA           the data itself (--input is the same): .npy (float, int, bool; little- or
                        big-endian; C or Fortran order; 1-3 dims), .npz, .csv/.tsv,
                        a folder of .csv, UCR .tsv, sktime .ts, .wav/.flac/.ogg.
                        Arrays keep their stored shape; sequence collections are
                        laid out in the stack's data_format, with each length.
                        A 1-D recording or a 2-D array is read as the data panel
                        reads it, and the fixes add the axes the stack wants:
                        (108000,) -> (1, 108000, 1); (N, L) -> (N, L, 1);
                        (L, C) with few columns -> (1, L, C).

Output:
  (default)             a readable table: per layer input and output shape,
                        parameter count, receptive field, output length rule
  --json                one JSON object: ok, data_format, steps (the Input first,
                        with declared and actual; then per layer index, name,
                        type, in_shape, out_shape (null when it cannot be
                        computed), params, receptive_field; the failing step has
                        error {kind, title, axis, role, expected, actual, message,
                        framework_message, fixes [{id, description, stack,
                        data_change?, traced_on}]}), total_params,
                        min_input_length

Exit status: 0 the trace passes, 1 a shape error was found,
             2 bad usage or an unreadable file (message on stderr).
)";

}  // namespace

int run_trace_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string stack_path, input_path, shape_text;
    bool json = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto next = [&](const char* flag) -> const std::string* {
            if (i + 1 >= args.size()) {
                err << "convscope-cli trace: " << flag << " needs a value\n";
                return nullptr;
            }
            return &args[++i];
        };
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--input" || a == "--data") {
            const auto* v = next(a.c_str());
            if (!v) return 2;
            input_path = *v;
        } else if (a == "--input-shape") {
            const auto* v = next("--input-shape");
            if (!v) return 2;
            shape_text = *v;
        } else if (!a.empty() && a[0] == '-') {
            err << "convscope-cli trace: unknown option " << a << "\n" << kUsage;
            return 2;
        } else if (stack_path.empty()) {
            stack_path = a;
        } else {
            err << "convscope-cli trace: unexpected argument " << a << " (one stack file only)\n";
            return 2;
        }
    }
    if (stack_path.empty()) {
        err << "convscope-cli trace: missing STACK.json\n" << kUsage;
        return 2;
    }
    if (!input_path.empty() && !shape_text.empty()) {
        err << "convscope-cli trace: give --input or --input-shape, not both\n";
        return 2;
    }
    auto stack = load_stack_file(stack_path);
    if (!stack) {
        err << "convscope-cli trace: " << stack.error().message << "\n";
        return 2;
    }
    TraceInput input;
    if (!input_path.empty()) {
        auto dataset = data::load_dataset(input_path);
        if (!dataset) {
            err << "convscope-cli trace: " << dataset.error().message << "\n";
            return 2;
        }
        input = trace_input_from_dataset(*dataset, stack->data_format);
    } else if (!shape_text.empty()) {
        auto shape = parse_shape_list(shape_text);
        if (!shape) {
            err << "convscope-cli trace: --input-shape: " << shape.error().message << "\n";
            return 2;
        }
        input = TraceInput::uniform(*shape);
    } else {
        auto declared = trace_input_from_declared(*stack);
        if (!declared) {
            err << "convscope-cli trace: " << stack_path << ": " << declared.error().message << "\n";
            return 2;
        }
        input = *declared;
    }
    const Trace trace = trace_stack(*stack, input);
    if (json) out << trace_to_json(trace).dump(2) << "\n";
    else out << format_trace_table(trace);
    return trace.ok() ? 0 : 1;
}

}  // namespace convscope::cli
