#include "pad_command.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>

#include "common/memory_budget.hpp"
#include "common/output_file.hpp"
#include "data/dataset_loader.hpp"
#include "data/delimited_text.hpp"
#include "data/npy_writer.hpp"
#include "data/pad_sequences.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kUsage =
    "usage: convscope-cli pad DATA --out X.npy [--maxlen N] [--padding pre|post]\n"
    "                         [--truncating pre|post] [--value V]\n"
    "                         [--mask-out M.npy] [--lengths-out L.npy] [--max-memory SIZE]\n"
    "\n"
    "Pads and truncates every sequence of DATA to one length, exactly like Keras'\n"
    "pad_sequences, and writes a float32 .npy: (N, maxlen) for univariate data,\n"
    "(N, maxlen, channels) otherwise.\n"
    "\n"
    "  --out X.npy          where to write the padded batch (required)\n"
    "  --maxlen N           target length (default: the longest sequence)\n"
    "  --padding pre|post   where padding goes (default pre, as in Keras)\n"
    "  --truncating pre|post  which end loses steps when longer than N (default pre)\n"
    "  --value V            the padding value (default 0)\n"
    "  --mask-out M.npy     also write the (N, maxlen) bool mask of real steps\n"
    "  --lengths-out L.npy  also write the original lengths as int64 (N,)\n"
    "  --max-memory SIZE    memory the padded batch may take (e.g. 16G); default: the\n"
    "                       machine's available memory. Larger batches are refused\n"
    "                       before anything is allocated\n"
    "  --help               show this help\n"
    "\n"
    "Files are replaced atomically; no output may be DATA (also through a link).\n"
    "Exit status: 0 on success, 2 on bad usage, unreadable input or a failed write.\n";

int usage_error(std::ostream& err, const std::string& what) {
    err << "convscope-cli pad: " << what << "\n" << kUsage;
    return 2;
}

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + ")";
}

}  // namespace

int run_pad_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string data_path, out_path, mask_path, lengths_path;
    bool out_given = false, mask_given = false, lengths_given = false;
    std::optional<uint64_t> max_memory;  // --out "" is refused, not ignored
    data::PadOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        }
        const bool takes_value = a == "--out" || a == "--maxlen" || a == "--padding" || a == "--truncating" ||
                                 a == "--value" || a == "--mask-out" || a == "--lengths-out" || a == "--max-memory";
        if (takes_value) {
            if (i + 1 >= args.size()) return usage_error(err, a + " needs a value");
            const std::string& v = args[++i];
            if (a == "--out") out_path = v, out_given = true;
            else if (a == "--mask-out") mask_path = v, mask_given = true;
            else if (a == "--lengths-out") lengths_path = v, lengths_given = true;
            else if (a == "--max-memory") {
                max_memory = parse_byte_size(v);
                if (!max_memory) return usage_error(err, "--max-memory takes a size such as 16G or 512M, got '" + v + "'");
            } else if (a == "--maxlen") {
                // Whole numbers, also written as 1e8; the memory check below bounds them.
                int64_t n = 0;
                auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                if (ec != std::errc() || p != v.data() + v.size()) {
                    double d = 0;
                    auto [pd, ecd] = std::from_chars(v.data(), v.data() + v.size(), d);
                    n = ecd == std::errc() && pd == v.data() + v.size() && d >= 1 && d <= 4e18 && d == std::floor(d)
                            ? static_cast<int64_t>(d) : 0;
                }
                if (n < 1) return usage_error(err, "--maxlen expects a whole number of at least 1, got '" + v + "'");
                o.maxlen = n;
            } else if (a == "--padding" || a == "--truncating") {
                auto side = data::parse_pad_side(v);
                if (!side) return usage_error(err, a + " expects pre or post, got '" + v + "'");
                (a == "--padding" ? o.padding : o.truncating) = *side;
            } else {
                auto x = data::parse_number(v);
                if (!x) return usage_error(err, "--value expects a number, got '" + v + "'");
                o.value = *x;
            }
        } else if (!a.empty() && a[0] == '-') {
            return usage_error(err, "unknown option '" + a + "'");
        } else if (data_path.empty()) {
            data_path = a;
        } else {
            return usage_error(err, "expected one DATA path, got '" + data_path + "' and '" + a + "'");
        }
    }
    if (data_path.empty()) return usage_error(err, "missing DATA path");
    if (!out_given) return usage_error(err, "missing --out X.npy");
    std::vector<NamedPath> outputs{{"--out", out_path}};
    if (mask_given) outputs.push_back({"--mask-out", mask_path});
    if (lengths_given) outputs.push_back({"--lengths-out", lengths_path});
    if (auto st = check_output_files(outputs, {{"DATA", data_path}}); !st) {
        err << "convscope-cli pad: " << st.error().message << "\n";
        return 2;
    }

    auto d = data::load_dataset(data_path);
    if (!d) {
        err << "convscope-cli pad: " << d.error().message << "\n";
        return 2;
    }
    // The padded batch, its staging copy in the .npy writer and the mask, before any of it exists.
    {
        int64_t longest = 0;
        for (int64_t i = 0; i < d->size(); ++i) longest = std::max(longest, d->length(i));
        const int64_t maxlen = o.maxlen.value_or(longest);
        auto values = checked_mul(static_cast<uint64_t>(d->size()), static_cast<uint64_t>(maxlen));
        auto flags = values;
        if (values) values = checked_mul(*values, static_cast<uint64_t>(std::max<int64_t>(d->channels(), 1)));
        if (values) values = checked_mul(*values, 2 * sizeof(float));
        if (values && flags) values = checked_add(*values, *flags * (mask_given ? 3 : 1));
        const std::string what = "the padded batch of " + std::to_string(d->size()) + " sequences x " +
                                 std::to_string(maxlen) + " steps x " + std::to_string(d->channels()) + " channels";
        Status fits = values ? check_fits_in_memory(*values, what, memory_budget(max_memory),
                                                    "choose a smaller --maxlen or pass --max-memory SIZE")
                             : make_error(what + " overflows 64 bits; choose a smaller --maxlen");
        if (!fits) {
            err << "convscope-cli pad: " << fits.error().message << "\n";
            return 2;
        }
    }
    const auto b = data::pad_sequences(*d, o);
    if (auto st = data::write_npy(out_path, b.shape, b.values); !st) {
        err << "convscope-cli pad: " << st.error().message << "\n";
        return 2;
    }
    out << "wrote " << out_path << ": float32 " << shape_text(b.shape) << ", padding " << data::to_string(o.padding)
        << ", truncating " << data::to_string(o.truncating) << ", value " << o.value << "\n";
    if (b.truncated_sequences)
        out << "  " << b.truncated_sequences << " sequence" << (b.truncated_sequences == 1 ? " was" : "s were")
            << " longer than " << b.maxlen << " and lost steps\n";
    if (mask_given) {
        if (auto st = data::write_npy_bool(mask_path, {b.shape[0], b.maxlen}, b.mask); !st) {
            err << "convscope-cli pad: " << st.error().message << "\n";
            return 2;
        }
        out << "wrote " << mask_path << ": bool " << shape_text({b.shape[0], b.maxlen}) << " (1 = real step)\n";
    }
    if (lengths_given) {
        if (auto st = data::write_npy_int64(lengths_path, {static_cast<int64_t>(b.lengths.size())}, b.lengths); !st) {
            err << "convscope-cli pad: " << st.error().message << "\n";
            return 2;
        }
        out << "wrote " << lengths_path << ": int64 (" << b.lengths.size() << ",) original lengths\n";
    }
    return 0;
}

}  // namespace convscope::cli
