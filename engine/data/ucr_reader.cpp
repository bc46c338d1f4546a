#include "data/ucr_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "data/delimited_text.hpp"
#include "data/text_file.hpp"

namespace convscope::data {

bool looks_like_ucr(std::string_view text, const std::string& file_name) {
    if (file_name.find("_TRAIN") != std::string::npos || file_name.find("_TEST") != std::string::npos) return true;
    const char delim = detect_delimiter(text);
    auto recs = split_records(text.substr(0, 1 << 20), delim, "");
    if (!recs || recs->size() < 2) return false;
    std::set<std::string> labels;
    size_t widest = 0;
    for (const auto& r : *recs) {
        if (r.fields.empty()) return false;
        auto v = parse_number(r.fields.front());
        if (!v || std::floor(*v) != *v) return false;  // labels are integers in the archive (also a header fails here)
        labels.insert(std::string(trim(r.fields.front())));
        widest = std::max(widest, r.fields.size());
    }
    const size_t max_classes = std::max<size_t>(2, std::min<size_t>(60, recs->size() / 2));
    return widest >= 10 && labels.size() <= max_classes;
}

Result<Dataset> read_ucr_text(std::string_view text, const std::string& source) {
    if (auto st = check_is_text(text, source); !st) return st.error();
    if (has_cr_only_line_ends(text)) {  // classic Mac OS line ends: split on them like on '\n'
        std::string unix_text(text);
        std::replace(unix_text.begin(), unix_text.end(), '\r', '\n');
        return read_ucr_text(unix_text, source);
    }
    auto recs = split_records(text, detect_delimiter(text), source);
    if (!recs) return recs.error();
    if (recs->empty()) return make_error(source + ": no data (expected one series per row: label, then values)");
    std::vector<Sequence> seqs;
    seqs.reserve(recs->size());
    int64_t missing = 0, first_line = 0, first_col = 0;
    for (const auto& r : *recs) {
        Sequence s;
        s.name = "row " + std::to_string(r.line);
        s.label = std::string(trim(r.fields.front()));
        if (s.label->empty())
            return make_error(source + ": line " + std::to_string(r.line) + ", column 1: expected a class label, found an empty field");
        s.channels = 1;
        s.values.reserve(r.fields.size() - 1);
        for (size_t c = 1; c < r.fields.size(); ++c) {
            const auto& f = r.fields[c];
            if (is_missing_token(f)) {
                s.values.push_back(std::numeric_limits<float>::quiet_NaN());
            } else if (auto v = parse_number(f)) {
                if (beyond_float32(*v, f)) s.beyond_float32.push_back(static_cast<int64_t>(s.values.size()));
                s.values.push_back(*v);
            } else {
                return make_error(source + ": line " + std::to_string(r.line) + ", column " + std::to_string(c + 1) +
                                  ": expected a number, found " + quote_excerpt(f));
            }
        }
        // Unequal-length series are stored NaN-padded at the end: that is not data.
        while (!s.values.empty() && std::isnan(s.values.back())) s.values.pop_back();
        for (size_t k = 0; k < s.values.size(); ++k) {
            if (std::isnan(s.values[k]) && missing++ == 0) {
                first_line = r.line;
                first_col = static_cast<int64_t>(k) + 2;
            }
        }
        s.length = static_cast<int64_t>(s.values.size());
        seqs.push_back(std::move(s));
    }
    std::vector<std::string> notes;
    if (missing)
        notes.push_back(source + ": " + std::to_string(missing) + " missing value" + (missing == 1 ? "" : "s") +
                        " inside series (not trailing padding), first at line " + std::to_string(first_line) +
                        ", column " + std::to_string(first_col));
    return Dataset::from_sequences(std::move(seqs), source, "ucr-tsv", "float32", {}, std::move(notes));
}

Result<Dataset> read_ucr(const std::filesystem::path& path) {
    auto text = read_text_data_file(path);
    if (!text) return text.error();
    return read_ucr_text(*text, path.string());
}

}  // namespace convscope::data
