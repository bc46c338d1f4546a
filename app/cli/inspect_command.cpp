#include "inspect_command.hpp"

#include <cstdio>

#include "data/dataset_inspector.hpp"
#include "data/dataset_loader.hpp"

namespace convscope::cli {

namespace {

constexpr const char* kUsage =
    "usage: convscope-cli inspect DATA [--json]\n"
    "\n"
    "Reads DATA and reports its shape, lengths, per-channel statistics, NaN/Inf,\n"
    "duplicates, class balance, which axis looks like time, and findings that would\n"
    "break or quietly degrade a Conv1D model, each with a one-line fix.\n"
    "\n"
    "DATA: .npy, .npz (first array, or FILE.npz:KEY), .csv/.tsv/.txt (one sequence\n"
    "per file; a folder of them is one ragged dataset), UCR .tsv, sktime .ts,\n"
    ".wav/.flac/.ogg.\n"
    "\n"
    "  --json     print one JSON object instead of text\n"
    "  --help     show this help\n"
    "\n"
    "Exit status: 0 when the file was read (even with findings), 2 on bad usage or\n"
    "unreadable input.\n";

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
}

void print_text(const data::InspectionReport& r, std::ostream& out) {
    out << r.source << "\n";
    out << "  format " << r.format << ", dtype " << r.dtype;
    if (r.array_shape) out << ", stored shape " << shape_text(*r.array_shape);
    out << "\n";
    out << "  " << r.count << " sequence" << (r.count == 1 ? "" : "s") << ", " << r.channels << " channel"
        << (r.channels == 1 ? "" : "s") << ", length min " << r.lengths.min << " / median " << num(r.lengths.median)
        << " / max " << r.lengths.max << "\n";
    if (!r.read_as_stored)
        out << "  read as " << r.read_as << ", following the layout guess below (" << r.read_as_why << ")\n";
    out << "  layout " << r.layout.layout << " (time axis " << r.layout.time_axis << ", channel axis "
        << r.layout.channel_axis << ", confidence " << num(r.layout.confidence) << "): " << r.layout.reason << "\n";
    if (r.lengths.min != r.lengths.max) {
        out << "  length histogram:";
        for (size_t k = 0; k < r.lengths.counts.size(); ++k)
            if (r.lengths.counts[k]) out << " [" << num(r.lengths.edges[k]) << "," << num(r.lengths.edges[k + 1]) << "):" << r.lengths.counts[k];
        out << "\n";
        out << "  padding to " << r.maxlen << ": " << r.padded_steps << " steps (" << num(100 * r.padding_fraction) << "%)\n";
    }
    out << "  channel  name        min         max         mean        std         NaN    Inf\n";
    for (size_t c = 0; c < r.channel_stats.size(); ++c) {
        const auto& s = r.channel_stats[c];
        char line[200];
        if (s.has_values())
            std::snprintf(line, sizeof line, "  %-7zu  %-10.10s  %-10.4g  %-10.4g  %-10.4g  %-10.4g  %-5lld  %lld\n", c,
                          s.name.c_str(), s.min, s.max, s.mean, s.std, static_cast<long long>(s.nan_count),
                          static_cast<long long>(s.inf_count));
        else  // no finite value: there is no min, max, mean or std to show
            std::snprintf(line, sizeof line, "  %-7zu  %-10.10s  %-10s  %-10s  %-10s  %-10s  %-5lld  %lld\n", c,
                          s.name.c_str(), "n/a", "n/a", "n/a", "n/a", static_cast<long long>(s.nan_count),
                          static_cast<long long>(s.inf_count));
        out << line;
        if (c == 31 && r.channel_stats.size() > 33) {
            out << "  ... " << r.channel_stats.size() - 32 << " more channels (see --json)\n";
            break;
        }
    }
    out << "  NaN " << r.nan_count << ", Inf " << r.inf_count;
    if (r.out_of_range_count) out << ", out of float32 range " << r.out_of_range_count;
    out << ", duplicated sequences " << r.duplicate_count << "\n";
    if (!r.classes.empty()) {
        out << "  classes:";
        for (const auto& c : r.classes) out << " " << c.label << "=" << c.count;
        out << "\n";
    }
    if (r.targets)
        out << "  regression targets: " << r.targets->count << ", from " << num(r.targets->min) << " to "
            << num(r.targets->max) << " (mean " << num(r.targets->mean) << ")\n";
    for (const auto& n : r.notes) out << "  note: " << n << "\n";
    if (r.findings.empty()) {
        out << "findings: none\n";
        return;
    }
    out << "findings:\n";
    for (const auto& f : r.findings) out << "  [" << f.severity << "] " << f.message << "\n      fix: " << f.fix << "\n";
}

}  // namespace

int run_inspect_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    bool json = false;
    std::string path;
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        }
        if (a == "--json") {
            json = true;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            err << "convscope-cli inspect: unknown option '" << a << "'\n" << kUsage;
            return 2;
        } else if (path.empty()) {
            path = a;
        } else {
            err << "convscope-cli inspect: expected one DATA path, got '" << path << "' and '" << a << "'\n" << kUsage;
            return 2;
        }
    }
    if (path.empty()) {
        err << "convscope-cli inspect: missing DATA path\n" << kUsage;
        return 2;
    }
    auto d = data::load_dataset(path);
    if (!d) {
        err << "convscope-cli inspect: " << d.error().message << "\n";
        return 2;
    }
    const auto report = data::inspect(*d);
    if (json) out << report.to_json().dump() << "\n";
    else print_text(report, out);
    return 0;
}

}  // namespace convscope::cli
