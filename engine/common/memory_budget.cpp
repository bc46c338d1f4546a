#include "common/memory_budget.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace convscope {

std::optional<uint64_t> available_memory_bytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
        if (key == "MemAvailable:") return kib * 1024;
    return std::nullopt;
}

std::string byte_size_text(uint64_t bytes) {
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    const char* units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    double v = static_cast<double>(bytes);
    int u = -1;
    while (v >= 1024 && u < 5) v /= 1024, ++u;
    char text[32];
    std::snprintf(text, sizeof text, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return text;
}

std::optional<uint64_t> parse_byte_size(std::string_view text) {
    double number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || !(number >= 0)) return std::nullopt;
    std::string unit(end, text.data() + text.size());
    if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
    double scale = 1;
    if (unit == "K" || unit == "k") scale = 1024.0;
    else if (unit == "M" || unit == "m") scale = 1024.0 * 1024;
    else if (unit == "G" || unit == "g") scale = 1024.0 * 1024 * 1024;
    else if (unit == "T" || unit == "t") scale = 1024.0 * 1024 * 1024 * 1024;
    else if (!unit.empty()) return std::nullopt;
    const double bytes = number * scale;
    if (!(bytes < 4.6e18)) return std::nullopt;
    return static_cast<uint64_t>(bytes);
}

std::optional<MemoryBudget> memory_budget(std::optional<uint64_t> user_limit) {
    if (user_limit) return MemoryBudget{*user_limit, true};
    if (auto available = available_memory_bytes()) return MemoryBudget{*available, false};
    return std::nullopt;
}

Status check_fits_in_memory(uint64_t needed, const std::string& what, const std::optional<MemoryBudget>& budget,
                            const std::string& override_hint) {
    if (!budget || needed <= budget->bytes) return Ok{};
    return make_error(what + " needs about " + byte_size_text(needed) + ", but " +
                      (budget->from_user ? "the limit set is " + byte_size_text(budget->bytes)
                                         : "only " + byte_size_text(budget->bytes) +
                                               " of memory is available on this machine (MemAvailable)") +
                      "; " + override_hint);
}

}  // namespace convscope
