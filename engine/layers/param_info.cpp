#include "layers/param_info.hpp"

#include "common/json_input.hpp"

#include <algorithm>
#include <cmath>

namespace convscope {

namespace {

bool is_integer(const nlohmann::json& v) {
    if (v.is_number_integer()) return true;
    // 3.0 from a hand-written file is fine; 3.5 is not.
    return v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>() &&
           std::abs(v.get<double>()) < 9e15;
}

// Every integer range states both ends: "an integer from 1 to 100000000 (ConvScope's limit)".
std::string range_text(const ParamInfo& p) {
    return "an integer from " + std::to_string(static_cast<int64_t>(p.min_value)) + " to " +
           std::to_string(static_cast<int64_t>(p.max_value));
}
std::string limit_note(const nlohmann::json& v, const ParamInfo& p) {
    return v.is_number() && v.get<double>() > p.max_value ? " (" + std::to_string(static_cast<int64_t>(p.max_value)) +
                                                                " is ConvScope's limit for this field, see docs/LIMITS.md)"
                                                          : "";
}

Status check_int(const ParamInfo& p, const nlohmann::json& v) {
    if (!is_integer(v) || v.get<double>() < p.min_value || v.get<double>() > p.max_value)
        return make_error("expected " + range_text(p) + ", got " + json_excerpt(v) + limit_note(v, p));
    return Ok{};
}

bool side_in_range(const nlohmann::json& v, const ParamInfo& p) {
    return is_integer(v) && v.get<double>() >= 0 && v.get<double>() <= p.max_value;
}

Status check_pair(const nlohmann::json& v, bool allow_strings, const ParamInfo& p) {
    const std::string side = "an integer from 0 to " + std::to_string(static_cast<int64_t>(p.max_value));
    if (is_integer(v)) {
        if (!side_in_range(v, p)) return make_error("expected " + side + ", got " + json_excerpt(v) + limit_note(v, p));
        return Ok{};
    }
    if (v.is_array()) {
        if (v.size() != 2 || !side_in_range(v[0], p) || !side_in_range(v[1], p))
            return make_error("expected [left, right], each " + side + ", got " + json_excerpt(v) +
                              (v.size() == 2 ? limit_note(v[0], p) + limit_note(v[1], p) : ""));
        return Ok{};
    }
    if (allow_strings && v.is_string()) {
        const auto s = v.get<std::string>();
        if (std::find(p.choices.begin(), p.choices.end(), s) != p.choices.end()) return Ok{};
    }
    std::string expected = "an integer or [left, right]";
    if (allow_strings) {
        expected = "";
        for (const auto& c : p.choices) expected += "\"" + c + "\", ";
        expected += "an integer (both sides) or [left, right]";
    }
    return make_error("expected " + expected + ", got " + json_excerpt(v));
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t subst = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

Status check_param_value(const ParamInfo& p, const nlohmann::json& v) {
    switch (p.kind) {
        case ParamKind::Int: return check_int(p, v);
        case ParamKind::OptionalInt: return v.is_null() ? Status(Ok{}) : check_int(p, v);
        case ParamKind::Float:
            if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < p.min_value ||
                v.get<double>() > p.max_value)
                return make_error("expected a number from " + nlohmann::json(p.min_value).dump() + " to " +
                                  nlohmann::json(p.max_value).dump() + ", got " + json_excerpt(v));
            return Ok{};
        case ParamKind::Bool:
            if (!v.is_boolean()) return make_error("expected true or false, got " + json_excerpt(v));
            return Ok{};
        case ParamKind::Choice: {
            if (v.is_string() && std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) != p.choices.end())
                return Ok{};
            std::string list;
            for (const auto& c : p.choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
            return make_error("expected one of " + list + ", got " + json_excerpt(v));
        }
        case ParamKind::IntList:
            if (!v.is_array() || v.empty() || v.size() > static_cast<size_t>(limits::kMaxListEntries))
                return make_error("expected a list of 1 to " + std::to_string(limits::kMaxListEntries) +
                                  " integers, got " + json_excerpt(v));
            for (const auto& e : v)
                // Sizes beyond one axis's limit can never be right; finer rules (a permutation, -1 once) are the layer's.
                if (!is_integer(e) || std::abs(e.get<double>()) > static_cast<double>(limits::kMaxDimension))
                    return make_error("expected a list of integers of magnitude at most " +
                                      std::to_string(limits::kMaxDimension) + " (ConvScope's limit for one axis), got " +
                                      json_excerpt(v));
            return Ok{};
        case ParamKind::Padding: return check_pair(v, true, p);
        case ParamKind::Pair: return check_pair(v, false, p);
    }
    return Ok{};
}

const nlohmann::json& param_or_default(const nlohmann::json& params, const ParamInfo& info) {
    if (auto it = params.find(info.name); it != params.end()) return *it;
    return info.default_value;
}

std::optional<std::string> closest_name(const std::string& wrong, const std::vector<std::string>& known) {
    std::optional<std::string> best;
    // A name many times longer than every known one is no misspelling of any; the
    // bound keeps the quadratic distance from running over a megabyte-long value.
    size_t longest = 0;
    for (const auto& k : known) longest = std::max(longest, k.size());
    if (wrong.size() > 4 * longest) return best;
    size_t best_d = std::max<size_t>(3, wrong.size() / 3) + 1;
    for (const auto& k : known) {
        size_t d = edit_distance(wrong, k);
        // A known name containing the wrong one ("kernel" in "kernel_size") is a strong hint.
        if (k.find(wrong) != std::string::npos || wrong.find(k) != std::string::npos) d = std::min<size_t>(d, 1);
        if (d < best_d) {
            best_d = d;
            best = k;
        }
    }
    return best;
}

}  // namespace convscope
