#include "data/ts_reader.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "data/delimited_text.hpp"
#include "data/text_file.hpp"

namespace convscope::data {

namespace {

std::string lower(std::string_view s) {
    std::string l(s);
    std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return l;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        const size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}

class TsParser {
public:
    TsParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

    Result<Dataset> parse() {
        size_t pos = 0;
        int64_t line_no = 0;
        bool in_data = false;
        std::vector<Sequence> seqs;
        int64_t missing = 0;
        std::string first_missing;
        while (pos < text_.size()) {
            size_t end = text_.find('\n', pos);
            if (end == std::string_view::npos) end = text_.size();
            std::string_view line = trim(text_.substr(pos, end - pos));
            pos = end + 1;
            ++line_no;
            if (line.empty() || line.front() == '#') continue;
            if (!in_data) {
                if (line.front() != '@')
                    return err(line_no, 1, "expected a header tag such as @problemName or @data before the data");
                auto st = header_line(line, line_no, in_data);
                if (!st) return st.error();
                continue;
            }
            auto s = case_line(line, line_no, missing, first_missing);
            if (!s) return s.error();
            s->name = "case " + std::to_string(seqs.size() + 1);
            seqs.push_back(std::move(*s));
        }
        if (!in_data) return make_error(source_ + ": no @data line (expected the header to end with @data)");
        if (seqs.empty()) return make_error(source_ + ": no cases after @data");
        std::vector<std::string> notes;
        if (missing)
            notes.push_back(source_ + ": " + std::to_string(missing) + " missing value" + (missing == 1 ? "" : "s") +
                            " ('?') read as NaN, first at " + first_missing);
        return Dataset::from_sequences(std::move(seqs), source_, "ts", "float32", {}, std::move(notes),
                                       h_.regression_targets);
    }

private:
    Error err(int64_t line, size_t column, const std::string& what) const {
        return make_error(source_ + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
    }

    Result<bool> boolean(std::string_view v, int64_t line, const std::string& tag) const {
        const auto l = lower(trim(v));
        if (l == "true") return true;
        if (l == "false") return false;
        return err(line, 1, "expected true or false after " + tag + ", found " + quote_excerpt(v));
    }
    Result<int64_t> count(std::string_view v, int64_t line, const std::string& tag) const {
        auto n = parse_number(v);
        // Written as a range test that NaN fails, so no NaN or infinity reaches the integer conversion.
        if (!n || !(*n >= 1 && *n <= 1e9f) || static_cast<float>(static_cast<int64_t>(*n)) != *n)
            return err(line, 1, "expected a positive whole number after " + tag + ", found " + quote_excerpt(v));
        return static_cast<int64_t>(*n);
    }

    Status header_line(std::string_view line, int64_t line_no, bool& in_data) {
        const size_t sp = line.find_first_of(" \t");
        const std::string tag = lower(line.substr(0, sp));
        const std::string_view rest = sp == std::string_view::npos ? std::string_view{} : trim(line.substr(sp));
        if (tag == "@data") {
            in_data = true;
            if (!h_.univariate && h_.dimensions == 0)
                return err(line_no, 1, "@univariate false needs @dimensions before @data");
            return Ok{};
        }
        if (tag == "@problemname") { h_.problem_name = std::string(rest); return Ok{}; }
        if (tag == "@timestamps") {
            auto b = boolean(rest, line_no, tag);
            if (!b) return b.error();
            if (*b) return err(line_no, 1, "timestamped series (@timeStamps true) are not supported; export the values without timestamps");
            return Ok{};
        }
        if (tag == "@missing") { auto b = boolean(rest, line_no, tag); if (!b) return b.error(); h_.missing = *b; return Ok{}; }
        if (tag == "@univariate") {
            auto b = boolean(rest, line_no, tag);
            if (!b) return b.error();
            h_.univariate = *b;
            if (*b) h_.dimensions = 1;
            return Ok{};
        }
        if (tag == "@dimensions" || tag == "@dimension") {
            auto n = count(rest, line_no, tag);
            if (!n) return n.error();
            if (h_.univariate && *n != 1 && h_.dimensions == 1)
                return err(line_no, 1, "@dimensions " + std::to_string(*n) + " contradicts @univariate true");
            h_.dimensions = *n;
            return Ok{};
        }
        if (tag == "@equallength") { auto b = boolean(rest, line_no, tag); if (!b) return b.error(); h_.equal_length = *b; return Ok{}; }
        if (tag == "@serieslength") { auto n = count(rest, line_no, tag); if (!n) return n.error(); h_.series_length = *n; return Ok{}; }
        if (tag == "@classlabel") {
            auto parts = split(rest, ' ');
            std::vector<std::string> words;
            for (auto p : parts)
                if (!trim(p).empty()) words.emplace_back(trim(p));
            if (words.empty()) return err(line_no, 1, "expected true or false after @classLabel");
            auto b = boolean(words.front(), line_no, tag);
            if (!b) return b.error();
            h_.has_labels = *b;
            h_.class_labels.assign(words.begin() + 1, words.end());
            if (*b && h_.class_labels.empty())
                return err(line_no, 1, "@classLabel true must list the class labels, e.g. '@classLabel true 1 2 3'");
            return Ok{};
        }
        if (tag == "@targetlabel") {  // regression targets: a number after the last ':'
            auto b = boolean(rest, line_no, tag);
            if (!b) return b.error();
            h_.has_labels = *b;
            h_.regression_targets = *b;
            return Ok{};
        }
        return err(line_no, 1, "unknown header tag " + quote_excerpt(tag) + " (expected @problemName, @timeStamps, "
                               "@missing, @univariate, @dimensions, @equalLength, @seriesLength, @classLabel or @data)");
    }

    Result<Sequence> case_line(std::string_view line, int64_t line_no, int64_t& missing, std::string& first_missing) {
        auto dims = split(line, ':');
        Sequence s;
        if (h_.has_labels) {
            if (dims.size() < 2)
                return err(line_no, line.size(), "expected ':' and the class label at the end of the case");
            s.label = std::string(trim(dims.back()));
            if (h_.regression_targets && !parse_number(*s.label))
                return err(line_no, static_cast<size_t>(dims.back().data() - line.data()) + 1,
                           "expected a number as the regression target (@targetLabel true), found " +
                               quote_excerpt(*s.label));
            dims.pop_back();
            if (!h_.class_labels.empty() &&
                std::find(h_.class_labels.begin(), h_.class_labels.end(), *s.label) == h_.class_labels.end()) {
                std::string listed;
                for (const auto& l : h_.class_labels) listed += (listed.empty() ? "" : " ") + l;
                return err(line_no, static_cast<size_t>(dims.back().data() + dims.back().size() - line.data()) + 2,
                           "class label " + quote_excerpt(*s.label) + " is not among those declared by @classLabel (" + listed + ")");
            }
        }
        const auto n_dims = static_cast<int64_t>(dims.size());
        if (h_.dimensions == 0) h_.dimensions = n_dims;  // undeclared: the first case decides
        if (n_dims != h_.dimensions)
            return err(line_no, 1, "expected " + std::to_string(h_.dimensions) + " dimension" +
                                       (h_.dimensions == 1 ? "" : "s") + " separated by ':', found " + std::to_string(n_dims));
        std::vector<std::vector<float>> per_dim(dims.size());
        std::vector<std::vector<bool>> beyond(dims.size());  // finite in the text, +-inf as float32
        for (size_t d = 0; d < dims.size(); ++d) {
            if (trim(dims[d]).empty())
                return err(line_no, static_cast<size_t>(dims[d].data() - line.data()) + 1,
                           "dimension " + std::to_string(d + 1) + " has no values");
            for (auto v : split(dims[d], ',')) {
                const size_t col = static_cast<size_t>(v.data() - line.data()) + 1;
                if (trim(v) == "?" || lower(trim(v)) == "nan") {
                    per_dim[d].push_back(std::numeric_limits<float>::quiet_NaN());
                    if (missing++ == 0) first_missing = "line " + std::to_string(line_no) + ", column " + std::to_string(col);
                } else if (auto x = parse_number(v)) {
                    beyond[d].resize(per_dim[d].size() + 1, false);
                    beyond[d].back() = beyond_float32(*x, v);
                    per_dim[d].push_back(*x);
                } else {
                    return err(line_no, col, "expected a number or '?' in dimension " + std::to_string(d + 1) +
                                                 ", found " + quote_excerpt(v));
                }
            }
            if (per_dim[d].size() != per_dim[0].size())
                return err(line_no, static_cast<size_t>(dims[d].data() - line.data()) + 1,
                           "dimension " + std::to_string(d + 1) + " has " + std::to_string(per_dim[d].size()) +
                               " values but dimension 1 has " + std::to_string(per_dim[0].size()) +
                               "; ConvScope needs every channel of a case to have the same length");
        }
        s.length = static_cast<int64_t>(per_dim[0].size());
        s.channels = n_dims;
        if (h_.equal_length && h_.series_length > 0 && s.length != h_.series_length)
            return err(line_no, 1, "the case has " + std::to_string(s.length) + " values but @seriesLength is " +
                                       std::to_string(h_.series_length));
        // @equalLength true without @seriesLength: the first case sets the length every other must have.
        if (h_.equal_length && first_case_line_ == 0) {
            first_case_line_ = line_no;
            first_case_length_ = s.length;
        } else if (h_.equal_length && s.length != first_case_length_) {
            return err(line_no, 1, "the case has " + std::to_string(s.length) + " values but the first case (line " +
                                       std::to_string(first_case_line_) + ") has " + std::to_string(first_case_length_) +
                                       ", and the header says @equalLength true; fix the header or the cases");
        }
        s.values.resize(static_cast<size_t>(s.length * s.channels));
        for (int64_t t = 0; t < s.length; ++t) {
            for (int64_t c = 0; c < s.channels; ++c) {
                const auto uc = static_cast<size_t>(c), ut = static_cast<size_t>(t);
                s.values[static_cast<size_t>(t * s.channels + c)] = per_dim[uc][ut];
                if (ut < beyond[uc].size() && beyond[uc][ut]) s.beyond_float32.push_back(t * s.channels + c);
            }
        }
        return s;
    }

    std::string_view text_;
    const std::string& source_;
    TsHeader h_;
    int64_t first_case_line_ = 0, first_case_length_ = 0;
};

}  // namespace

Result<Dataset> read_ts_text(std::string_view text, const std::string& source) {
    if (auto st = check_is_text(text, source); !st) return st.error();
    if (has_cr_only_line_ends(text)) {  // classic Mac OS line ends: split on them like on '\n'
        std::string unix_text(text);
        std::replace(unix_text.begin(), unix_text.end(), '\r', '\n');
        return TsParser(unix_text, source).parse();
    }
    return TsParser(text, source).parse();
}

Result<Dataset> read_ts(const std::filesystem::path& path) {
    auto text = read_text_data_file(path);
    if (!text) return text.error();
    return read_ts_text(*text, path.string());
}

}  // namespace convscope::data
