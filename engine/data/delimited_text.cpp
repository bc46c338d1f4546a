#include "data/delimited_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace convscope::data {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string quote_excerpt(std::string_view s) {
    std::string out = "'";
    for (char c : s.substr(0, 24)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
    if (s.size() > 24) out += "...";
    return out + "'";
}

bool is_missing_token(std::string_view s) {
    s = trim(s);
    if (s.empty()) return true;
    std::string l(s);
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return l == "nan" || l == "na" || l == "n/a" || l == "null" || l == "none" || l == "?" || l == "-" ||
           l == "+nan" || l == "-nan";
}

std::optional<float> parse_number(std::string_view s, bool decimal_comma) {
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty()) return std::nullopt;
    // Any length: a number printed with 100 digits is still a number (only a decimal comma needs a copy).
    std::string with_point;
    if (decimal_comma && s.find(',') != std::string_view::npos) {
        with_point.assign(s);
        std::replace(with_point.begin(), with_point.end(), ',', '.');
        s = with_point;
    }
    double v = 0;
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (p != end) return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
        // Beyond double: keep the sign, as NumPy's float() would give inf (or 0 for a tiny exponent).
        const size_t e = s.find_first_of("eE");
        const bool tiny = e != std::string_view::npos && e + 1 < s.size() && s[e + 1] == '-';
        v = tiny ? 0.0 : s[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    } else if (ec != std::errc()) {
        return std::nullopt;
    }
    return static_cast<float>(v);
}

bool beyond_float32(float parsed, std::string_view text) {
    if (!std::isinf(parsed)) return false;
    text = trim(text);
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    return !(text.size() >= 3 && std::tolower(static_cast<unsigned char>(text[0])) == 'i' &&
             std::tolower(static_cast<unsigned char>(text[1])) == 'n' &&
             std::tolower(static_cast<unsigned char>(text[2])) == 'f');
}

char detect_delimiter(std::string_view text) {
    // Per candidate: field-separator counts on the first non-blank lines.
    constexpr std::array<char, 3> cands = {'\t', ';', ','};
    std::array<std::vector<int>, 3> counts;
    std::vector<int> blank_runs;
    size_t pos = 0;
    int lines = 0;
    while (pos < text.size() && lines < 20) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line.front() == '#') continue;
        ++lines;
        std::array<int, 3> c{};
        int runs = 0;
        bool quoted = false, in_blank = false;
        for (char ch : line) {
            if (ch == '"') quoted = !quoted;
            if (quoted) continue;
            for (size_t k = 0; k < cands.size(); ++k) c[k] += ch == cands[k];
            const bool blank = ch == ' ' || ch == '\t';
            if (blank && !in_blank) ++runs;
            in_blank = blank;
        }
        for (size_t k = 0; k < cands.size(); ++k) counts[k].push_back(c[k]);
        blank_runs.push_back(runs);
    }
    // Prefer a candidate present with the same count on every line but the first
    // (a header may differ); tab and ';' first, because ',' can be a decimal comma.
    auto consistent = [](const std::vector<int>& v) {
        if (v.empty() || v.back() == 0) return false;
        const size_t from = v.size() > 1 ? 1 : 0;
        return std::all_of(v.begin() + static_cast<std::ptrdiff_t>(from), v.end(), [&](int x) { return x == v.back(); });
    };
    for (size_t k = 0; k < cands.size(); ++k)
        if (consistent(counts[k])) return cands[k];
    for (size_t k = 0; k < cands.size(); ++k)
        if (!counts[k].empty() && *std::max_element(counts[k].begin(), counts[k].end()) > 0) return cands[k];
    if (consistent(blank_runs)) return ' ';
    return ',';
}

Result<std::vector<Record>> split_records(std::string_view text, char delimiter, const std::string& source) {
    std::vector<Record> out;
    const bool blanks = delimiter == ' ';
    size_t i = 0;
    int64_t line = 1;
    // Skip a UTF-8 byte-order mark, which spreadsheet exports like to add.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < text.size()) {
        // One record per iteration; every path advances i.
        const int64_t record_line = line;
        size_t scan = i;
        while (scan < text.size() && (text[scan] == ' ' || text[scan] == '\t' || text[scan] == '\r')) ++scan;
        if (scan >= text.size() || text[scan] == '\n' || text[scan] == '#') {
            size_t nl = text.find('\n', scan);
            i = nl == std::string_view::npos ? text.size() : nl + 1;
            ++line;
            continue;
        }
        Record rec;
        rec.line = record_line;
        std::string field;
        bool quoted = false, was_quoted = false, done = false;
        if (blanks) i = scan;
        while (!done) {
            if (i >= text.size()) {
                if (quoted)
                    return make_error(source + ": line " + std::to_string(record_line) +
                                      ": a quoted field is never closed (expected a closing '\"')");
                rec.fields.push_back(std::move(field));
                break;
            }
            const char c = text[i++];
            if (quoted) {
                if (c == '"') {
                    if (i < text.size() && text[i] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
                continue;
            }
            if (c == '"' && trim(field).empty() && !was_quoted) {
                field.clear();
                quoted = was_quoted = true;
            } else if (c == '\n') {
                ++line;
                rec.fields.push_back(std::move(field));
                done = true;
            } else if (c == '\r') {
                // Windows line ends: ignore.
            } else if (blanks ? (c == ' ' || c == '\t') : c == delimiter) {
                rec.fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
                if (blanks) {
                    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
                    if (i >= text.size() || text[i] == '\n' || text[i] == '\r') {
                        // Trailing blanks end the record, they do not start a field.
                        while (i < text.size() && text[i] == '\r') ++i;
                        if (i < text.size() && text[i] == '\n') { ++i; ++line; }
                        done = true;
                    }
                }
            } else {
                field += c;
            }
        }
        out.push_back(std::move(rec));
    }
    return out;
}

}  // namespace convscope::data
