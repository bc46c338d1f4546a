#include "explain/text_scan.hpp"

#include <algorithm>
#include <cctype>

namespace convscope::explain {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower_char(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Bytes of U+2500..U+257F (box drawing: rich's traceback frames) read as space.
size_t box_drawing_length(std::string_view s, size_t i) {
    if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
        (static_cast<unsigned char>(s[i + 1]) == 0x94 || static_cast<unsigned char>(s[i + 1]) == 0x95))
        return 3;
    return 0;
}

// "\x1b[1m", "\x1b[0;31m": a CSI sequence ends at its first byte in 0x40..0x7E.
size_t ansi_escape_length(std::string_view s, size_t i) {
    if (s[i] != '\x1b' || i + 1 >= s.size() || s[i + 1] != '[') return 0;
    for (size_t j = i + 2; j < s.size() && j < i + 24; ++j)
        if (static_cast<unsigned char>(s[j]) >= 0x40 && static_cast<unsigned char>(s[j]) <= 0x7E) return j + 1 - i;
    return 0;
}

}  // namespace

FlatText::FlatText(std::string_view raw) {
    flat_.reserve(raw.size());
    bool pending_space = false;
    bool line_start = true;
    line_starts_.push_back(0);
    for (size_t i = 0; i < raw.size();) {
        if (line_start) {
            // pytest repeats the exception under "E   " on every line.
            if (raw.size() - i >= 3 && raw[i] == 'E' && raw[i + 1] == ' ' && raw[i + 2] == ' ') i += 3;
            line_start = false;
            continue;
        }
        const char c = raw[i];
        if (c == '\n') {
            pending_space = true;
            line_start = true;
            ++i;
            line_starts_.push_back(flat_.size() + (flat_.empty() ? 0 : 1));
            continue;
        }
        if (const size_t n = ansi_escape_length(raw, i)) {  // Keras 3 and IPython colour their messages
            i += n;
            continue;
        }
        if (const size_t n = box_drawing_length(raw, i)) {
            pending_space = true;
            i += n;
            continue;
        }
        if (is_space(c)) {
            pending_space = true;
            ++i;
            continue;
        }
        if (pending_space && !flat_.empty()) flat_ += ' ';
        pending_space = false;
        flat_ += c;
        ++i;
    }
    lower_.resize(flat_.size());
    std::transform(flat_.begin(), flat_.end(), lower_.begin(), lower_char);
}

int64_t FlatText::line_at(size_t pos) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), pos);
    return static_cast<int64_t>(it - line_starts_.begin());
}

void Cursor::skip_space() {
    while (pos_ < t_->text().size() && t_->text()[pos_] == ' ') ++pos_;
}

bool Cursor::lit(std::string_view s) {
    const std::string& low = t_->lower();
    size_t p = pos_;
    for (char c : s) {
        if (is_space(c)) continue;
        while (p < low.size() && low[p] == ' ') ++p;
        if (p >= low.size() || low[p] != lower_char(c)) return false;
        ++p;
    }
    pos_ = p;
    return true;
}

bool Cursor::skip_past(std::string_view s, size_t max_chars) {
    const std::string& low = t_->lower();
    const size_t end = std::min(low.size(), pos_ + max_chars);
    for (size_t p = pos_; p < end; ++p) {
        Cursor probe(*t_, p);
        if (probe.lit(s)) {
            pos_ = probe.pos_;
            return true;
        }
    }
    return false;
}

std::optional<int64_t> Cursor::integer() {
    const std::string& s = t_->text();
    size_t p = pos_;
    while (p < s.size() && s[p] == ' ') ++p;
    bool negative = false;
    if (p < s.size() && (s[p] == '-' || s[p] == '+')) {
        negative = s[p] == '-';
        ++p;
    }
    const size_t digits = p;
    int64_t value = 0;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
        if (p - digits >= 18) return std::nullopt;  // no framework prints a size this long
        value = value * 10 + (s[p] - '0');
        ++p;
    }
    if (p == digits) return std::nullopt;
    pos_ = p;
    return negative ? -value : value;
}

std::optional<Shape> Cursor::shape() {
    Cursor c = *this;
    c.skip_space();
    const bool wrapped = c.lit("TensorShape(");
    c.skip_space();
    const std::string& s = t_->text();
    if (c.pos_ >= s.size() || (s[c.pos_] != '[' && s[c.pos_] != '(')) return std::nullopt;
    const char close = s[c.pos_] == '[' ? ']' : ')';
    ++c.pos_;
    std::vector<int64_t> dims;
    c.skip_space();
    if (c.pos_ < s.size() && s[c.pos_] == close) {
        ++c.pos_;
    } else {
        for (;;) {
            if (dims.size() >= 16) return std::nullopt;
            if (auto v = c.integer()) dims.push_back(*v);
            else if (c.lit("None") || c.lit("?") || c.lit("*")) dims.push_back(kAnyDim);
            else return std::nullopt;
            c.skip_space();
            if (c.pos_ < s.size() && s[c.pos_] == ',') {
                ++c.pos_;
                c.skip_space();
                if (c.pos_ < s.size() && s[c.pos_] == close) break;  // "(1500,)"
                continue;
            }
            if (c.pos_ < s.size() && s[c.pos_] == close) break;
            return std::nullopt;
        }
        ++c.pos_;
    }
    if (wrapped && !c.lit(")")) return std::nullopt;
    *this = c;
    return Shape(dims);
}

std::optional<Shape> Cursor::x_dims() {
    Cursor c = *this;
    std::vector<int64_t> dims;
    for (;;) {
        if (dims.size() >= 16) return std::nullopt;
        auto v = c.integer();
        if (!v || *v < 0) return std::nullopt;
        dims.push_back(*v);
        Cursor next = c;  // "8x1x2" or "1 x 6"
        if (!next.lit("x")) break;
        if (auto w = Cursor(next).integer(); !w) break;
        c = next;
    }
    *this = c;
    return Shape(dims);
}

std::optional<std::string> Cursor::name() {
    Cursor c = *this;
    c.skip_space();
    const std::string& s = t_->text();
    if (c.pos_ >= s.size()) return std::nullopt;
    std::string out;
    const char q = s[c.pos_];
    if (q == '"' || q == '\'' || q == '`') {
        size_t p = c.pos_ + 1;
        while (p < s.size() && s[p] != q && out.size() < 128) out += s[p++];
        if (p >= s.size() || s[p] != q || out.empty()) return std::nullopt;
        c.pos_ = p + 1;
    } else {
        size_t p = c.pos_;
        auto ok = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '/' || ch == '-'; };
        while (p < s.size() && ok(s[p]) && out.size() < 128) out += s[p++];
        while (!out.empty() && (out.back() == '.' || out.back() == '-')) {
            out.pop_back();
            --p;
        }
        if (out.empty()) return std::nullopt;
        c.pos_ = p;
    }
    *this = c;
    return out;
}

std::string Cursor::sentence(size_t max_chars) {
    skip_space();
    const std::string& s = t_->text();
    const size_t end = std::min(s.size(), pos_ + max_chars);
    size_t p = pos_;
    while (p < end && !(s[p] == '.' && (p + 1 >= s.size() || s[p + 1] == ' '))) ++p;
    std::string out = s.substr(pos_, p - pos_);
    pos_ = p;
    return out;
}

std::vector<size_t> find_all(const FlatText& t, std::string_view anchor, size_t limit) {
    std::vector<size_t> hits;
    const std::string& low = t.lower();
    for (size_t p = low.find(anchor); p != std::string::npos && hits.size() < limit; p = low.find(anchor, p + 1))
        hits.push_back(p);
    return hits;
}

std::optional<std::string> name_before(const FlatText& t, size_t pos, std::string_view marker, size_t window) {
    const std::string& low = t.lower();
    const size_t from = pos > window ? pos - window : 0;
    const std::string_view region(low.data() + from, pos - from);
    const size_t at = region.rfind(marker);
    if (at == std::string_view::npos) return std::nullopt;
    Cursor c(t, from + at + marker.size());
    return c.name();
}

}  // namespace convscope::explain
