#include "run_command.hpp"

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "common/memory_budget.hpp"
#include "common/output_file.hpp"
#include "data/dataset_loader.hpp"
#include "data/npy_writer.hpp"
#include "diagnosis/trace_input.hpp"
#include "diagnosis/trace_report.hpp"
#include "forward/forward_pass.hpp"
#include "forward/streaming_forward.hpp"
#include "forward/work_estimate.hpp"
#include "interrupt.hpp"
#include "interop/stack_json.hpp"
#include "layers/layer_support.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kUsage = R"(Usage: convscope-cli run STACK.json --input DATA --out Y.npy [--weights W.npz]
                        [--init keras|pytorch] [--seed N] [--dump-dir DIR]
                        [--max-memory SIZE] [--force]

Runs the layer stack forward (inference: Dropout is the identity, BatchNormalization
uses its running statistics) on the data and writes the final output as a float32
.npy in the stack's data_format.

Required:
  --input DATA          the data, any format 'convscope-cli trace --input' reads:
                        .npy (kept as stored, e.g. (N, L, C) for a channels_last
                        stack), .npz, .csv/.tsv or a folder of them, UCR .tsv,
                        sktime .ts, .wav/.flac/.ogg. A collection of sequences
                        becomes one batch laid out in the stack's data_format; its
                        sequences must share one length (pad them first with
                        'convscope-cli pad').
  --out Y.npy           where to write the final layer's output

Weights (default: --init keras --seed 0):
  --weights W.npz       learned weights: PyTorch state_dict names ("conv1.weight",
                        "bn.running_mean", ...) or Keras names ("conv1/kernel",
                        "bn/moving_mean", ...), detected from the keys; Keras
                        layouts are converted. Every weight must be present with
                        its exact shape; the message names layer, key and shapes.
  --init keras|pytorch  random weights instead: Keras' glorot_uniform kernels with
                        zero biases, or PyTorch's default U(+-1/sqrt(fan_in))
  --seed N              seed for --init (each layer draws from its own stream
                        seeded by N and the layer's name)

Inspection:
  --dump-dir DIR        also write every layer's output as DIR/NN_<layer>.npy
                        (NN = the layer's position in the stack, from 00), plus
                        NN_<layer>.mask.npy (bool, batch x length) where a Keras
                        mask is active after the layer, and
                        NN_<layer>.contamination.npy (bool, batch x length, or
                        batch x 1 without a length axis) where any output step's
                        receptive field reaches a masked input step

Limits (checked before anything is allocated or computed):
  --max-memory SIZE     the memory the run may take (e.g. 16G, 512M); default: the
                        machine's available memory (MemAvailable). A run whose
                        estimated peak (input, layer outputs, weights, scratch) is
                        larger is refused with the layer and the size.
  --force               run even above 1e14 multiply-adds (hours on one core);
                        from 1e11 a note with the estimate is printed instead

Without --dump-dir, a stack whose layers are all length-local (convolutions,
pooling, per-step layers, padding, cropping, upsampling) runs in chunks along the
length, holding only the input, the output and chunk-sized intermediates; the
result is the same. Runs longer than a second report progress on stderr. Ctrl+C
(or SIGTERM) stops at the next chunk or layer and exits 130 (143), writing nothing;
a second Ctrl+C stops at once. Files are replaced atomically; --out may not name an
input (the stack, the data, the weights), also through a link.

Exit status: 0 written,
             1 the stack does not fit the data (the shape trace's diagnosis on stdout),
             2 bad usage, an unreadable file, weights that do not match, a failed write,
               a run too large for the memory or the work limit,
             130/143 interrupted by Ctrl+C / SIGTERM.
)";

// From this many multiply-adds a note gives the estimate (tens of seconds or more);
// from kMacsNeedingForce the run needs --force (hours on one core).
constexpr uint64_t kMacsWorthANote = 100'000'000'000ULL;
constexpr uint64_t kMacsNeedingForce = 100'000'000'000'000ULL;

int usage_error(std::ostream& err, const std::string& what) {
    err << "convscope-cli run: " << what << "\n" << kUsage;
    return 2;
}

// The whole dataset as one tensor: an array with its stored shape, or a collection of
// equal-length sequences laid out in `format`. Read in slices so a memory-mapped file's
// pages can be handed back as they are consumed.
Tensor dataset_tensor(const data::Dataset& d, DataFormat format) {
    constexpr int64_t kSliceSteps = 1 << 16;
    const int64_t n = d.size(), channels = d.channels();
    const bool array = d.array_shape().has_value();
    const int64_t length = n ? d.length(0) : 0;
    Tensor t(array ? Shape(*d.array_shape()) : TensorType::sequence(format, n, length, channels).shape);
    std::vector<float> buffer;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t s = 0; s < length; s += kSliceSteps) {
            const int64_t steps = std::min(kSliceSteps, length - s);
            float* dst = t.data.data() + (i * length + s) * channels;
            if (array || format == DataFormat::ChannelsLast) {
                d.read_steps(i, s, std::span<float>(dst, static_cast<size_t>(steps * channels)));
            } else {  // (N, C, L): scatter each step's channels
                buffer.resize(static_cast<size_t>(steps * channels));
                d.read_steps(i, s, buffer);
                for (int64_t k = 0; k < steps; ++k)
                    for (int64_t c = 0; c < channels; ++c)
                        t.data[static_cast<size_t>((i * channels + c) * length + s + k)] =
                            buffer[static_cast<size_t>(k * channels + c)];
            }
            d.release_steps(i, s, steps);
        }
    return t;
}

std::string file_name_part(const std::string& name) {
    std::string s;
    for (char c : name) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return s;
}

Status write_mask(const std::filesystem::path& path, const StepMask& m) {
    return data::write_npy_bool(path, {m.batch, m.length}, m.flags);
}

// Progress lines on stderr, only once the run has taken a second. `at_most_every`
// thins them out further (streamed chunks arrive many times a second).
class ProgressLine {
public:
    explicit ProgressLine(std::ostream& err) : err_(err), start_(std::chrono::steady_clock::now()) {}
    void operator()(const std::string& what, double at_most_every = 0.0) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (s < 1.0 || s - last_ < at_most_every) return;
        last_ = s;
        char t[32];
        std::snprintf(t, sizeof t, "%.1f s", s);
        err_ << "convscope-cli run: " << what << " (" << t << ")\n";
        err_.flush();
    }

private:
    std::ostream& err_;
    std::chrono::steady_clock::time_point start_;
    double last_ = -1e9;
};

}  // namespace

int run_run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string stack_path, input_path, out_path, weights_path, init_text, seed_text, dump_dir, max_memory_text;
    bool force = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& target) {
            if (i + 1 >= args.size()) return false;
            target = args[++i];
            return true;
        };
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        } else if (a == "--force") {
            force = true;
        } else if (a == "--input" || a == "--out" || a == "--weights" || a == "--init" || a == "--seed" ||
                   a == "--dump-dir" || a == "--max-memory") {
            std::string& target = a == "--input"        ? input_path
                                  : a == "--out"        ? out_path
                                  : a == "--weights"    ? weights_path
                                  : a == "--init"       ? init_text
                                  : a == "--seed"       ? seed_text
                                  : a == "--max-memory" ? max_memory_text
                                                        : dump_dir;
            if (!value(target)) return usage_error(err, a + " needs a value");
        } else if (!a.empty() && a[0] == '-') {
            return usage_error(err, "unknown option " + a);
        } else if (stack_path.empty()) {
            stack_path = a;
        } else {
            return usage_error(err, "unexpected argument " + a + " (one stack file only)");
        }
    }
    if (stack_path.empty()) return usage_error(err, "missing STACK.json");
    if (input_path.empty()) return usage_error(err, "missing --input DATA");
    if (out_path.empty()) return usage_error(err, "missing --out Y.npy");
    if (!weights_path.empty() && (!init_text.empty() || !seed_text.empty()))
        return usage_error(err, "--init and --seed make random weights; they cannot be combined with --weights");
    InitScheme scheme = InitScheme::Keras;
    if (init_text == "pytorch") scheme = InitScheme::PyTorch;
    else if (!init_text.empty() && init_text != "keras")
        return usage_error(err, "--init takes keras or pytorch, not \"" + init_text + "\"");
    uint64_t seed = 0;
    if (!seed_text.empty()) {
        auto [end, ec] = std::from_chars(seed_text.data(), seed_text.data() + seed_text.size(), seed);
        if (ec != std::errc() || end != seed_text.data() + seed_text.size())
            return usage_error(err, "--seed takes a non-negative integer, not \"" + seed_text + "\"");
    }

    std::optional<uint64_t> max_memory;
    if (!max_memory_text.empty()) {
        max_memory = parse_byte_size(max_memory_text);
        if (!max_memory)
            return usage_error(err, "--max-memory takes a size such as 16G, 512M or 1000000 (bytes), not \"" +
                                        max_memory_text + "\"");
    }
    std::vector<NamedPath> inputs{{"STACK.json", stack_path}, {"--input", input_path}};
    if (!weights_path.empty()) inputs.push_back({"--weights", weights_path});
    if (auto st = check_output_files({{"--out", out_path}}, inputs); !st) {
        err << "convscope-cli run: " << st.error().message << "\n";
        return 2;
    }

    auto stack = load_stack_file(stack_path);
    if (!stack) {
        err << "convscope-cli run: " << stack.error().message << "\n";
        return 2;
    }
    auto dataset = data::load_dataset(input_path);
    if (!dataset) {
        err << "convscope-cli run: " << dataset.error().message << "\n";
        return 2;
    }
    const TraceInput input = trace_input_from_dataset(*dataset, stack->data_format);
    Trace trace = trace_stack(*stack, input, {false, false});
    if (!trace.ok() || input.ragged()) {
        // The full diagnosis, with fixes, as `trace` prints it.
        trace = trace_stack(*stack, input);
        out << format_trace_table(trace);
        if (input.ragged())
            out << "convscope-cli run needs one length per batch: pad the sequences first, e.g.\n"
                << "  convscope-cli pad " << input_path << " --out padded.npy --padding post --mask-out mask.npy\n";
        return 1;
    }

    // The cost, before any weight or tensor is allocated.
    const bool streamed = dump_dir.empty() && !streaming_obstacle(*stack, trace);
    auto work = estimate_work(*stack, trace);
    if (!work) {
        err << "convscope-cli run: " << work.error().message << "\n";
        return 2;
    }
    {
        const LayerWork* largest = work->largest_output();
        const std::string what =
            std::string("the run (") + (streamed ? "streamed" : "layer by layer, every output kept") + ")" +
            (largest ? "; its largest output is layer \"" + largest->name + "\" (" + largest->type + ") at " +
                           byte_size_text(largest->output_bytes) + "," : std::string());
        if (auto st = check_fits_in_memory(streamed ? work->peak_bytes_streamed : work->peak_bytes_layer_by_layer, what,
                                           memory_budget(max_memory), "pass --max-memory SIZE to allow more");
            !st) {
            err << "convscope-cli run: " << st.error().message << "\n";
            return 2;
        }
    }
    if (work->total_macs >= kMacsWorthANote) {
        const LayerWork* heaviest = work->most_macs();
        const std::string estimate = "about " + mac_count_text(work->total_macs) + " multiply-adds, most in layer \"" +
                                     heaviest->name + "\" (" + heaviest->type + ", " + mac_count_text(heaviest->macs) + ")";
        if (work->total_macs >= kMacsNeedingForce && !force) {
            err << "convscope-cli run: the run needs " << estimate << ", hours of computation; pass --force to run it anyway\n";
            return 2;
        }
        err << "convscope-cli run: the run needs " << estimate << "; progress follows, Ctrl+C stops it\n";
    }

    StackWeights weights;
    if (!weights_path.empty()) {
        auto loaded = load_weights_npz(weights_path, *stack, trace);
        if (!loaded) {
            err << "convscope-cli run: " << loaded.error().message << "\n";
            return 2;
        }
        weights = std::move(*loaded);
    } else {
        weights = initialise_weights(*stack, trace, scheme, seed);
    }

    Tensor x = dataset_tensor(*dataset, stack->data_format);
    const Shape input_shape = x.shape;
    ProgressLine progress(err);
    Tensor y;
    std::string how;
    std::optional<InterruptibleWork> interruptible(std::in_place);
    auto interrupted = [&](const std::string& where) {
        err << "convscope-cli run: interrupted " << where << "; " << out_path << " was not written\n";
        return interruptible->exit_status();
    };
    if (streamed) {
        StreamingOptions o;
        const TensorType& final_type = *trace.steps.back().out;
        // Chunks small enough that progress and Ctrl+C come every few seconds even for huge kernels.
        o.chunk_steps = chunk_steps_for(*work, final_type.dim(AxisRole::Length));
        o.progress = [&](int64_t done, int64_t total) {
            progress(std::to_string(done) + " of " + std::to_string(total) + " output steps", done < total ? 1.0 : 0.0);
            return !interruptible->requested();
        };
        auto r = run_forward_streaming(*stack, x, weights, o);
        if (interruptible->requested()) return interrupted("during the streamed run");
        if (!r) {
            err << "convscope-cli run: " << r.error().message << "\n";
            return 2;
        }
        y = std::move(*r);
        how = "streamed along the length";
    } else {
        std::vector<const LayerSpec*> enabled;
        for (const auto& l : stack->layers)
            if (l.enabled) enabled.push_back(&l);
        ForwardOptions o;
        o.progress = [&](size_t done, size_t total) {
            if (done < total && done < work->layers.size())
                progress("layer " + std::to_string(done + 1) + " of " + std::to_string(total) + ": " +
                         enabled[done]->name + " (" + mac_count_text(work->layers[done].macs) + " multiply-adds)");
            return !interruptible->requested();
        };
        auto r = run_forward(*stack, x, weights, o);
        if (interruptible->requested()) return interrupted("between layers");
        if (!r) {
            err << "convscope-cli run: " << r.error().message << "\n";
            return 2;
        }
        if (!dump_dir.empty()) {
            std::error_code ec;
            std::filesystem::create_directories(dump_dir, ec);
            if (ec) {
                err << "convscope-cli run: cannot create " << dump_dir << ": " << ec.message() << "\n";
                return 2;
            }
            for (const auto& o : r->outputs) {
                char index[16];
                std::snprintf(index, sizeof index, "%02lld", static_cast<long long>(o.index));
                const std::filesystem::path base =
                    std::filesystem::path(dump_dir) / (std::string(index) + "_" + file_name_part(o.name));
                Status s = data::write_npy(base.string() + ".npy", o.value.shape.dims, o.value.data);
                if (s && o.mask) s = write_mask(base.string() + ".mask.npy", *o.mask);
                if (s && o.contamination.any()) s = write_mask(base.string() + ".contamination.npy", o.contamination);
                if (!s) {
                    err << "convscope-cli run: " << s.error().message << "\n";
                    return 2;
                }
            }
        }
        y = std::move(r->outputs.back().value);
        how = "layer by layer";
    }
    if (interruptible->requested()) return interrupted("while writing --dump-dir");
    // From here a signal removes the file being written and ends the process (interrupt.hpp).
    interruptible.reset();
    // The writer stages the whole file in memory: hand the input back first, so a long
    // signal peaks at about input + output rather than input + twice the output.
    std::vector<float>().swap(x.data);
    if (Status s = data::write_npy(out_path, y.shape.dims, y.data); !s) {
        err << "convscope-cli run: " << s.error().message << "\n";
        return 2;
    }
    out << "wrote " << out_path << " " << y.shape.to_string() << " float32: " << input_shape.to_string() << " through "
        << trace.steps.size() - 1 << " layers, " << how << "; weights: " << weights.origin << "\n";
    if (!dump_dir.empty()) out << "every layer's output in " << dump_dir << "\n";
    return 0;
}

}  // namespace convscope::cli
