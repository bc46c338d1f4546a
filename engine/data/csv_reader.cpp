#include "data/csv_reader.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "data/delimited_text.hpp"
#include "data/text_file.hpp"

namespace convscope::data {

namespace {

constexpr size_t kMaxFolderFiles = 100000;

std::string delimiter_name(char d) {
    switch (d) {
        case '\t': return "tab";
        case ' ': return "space";
        default: return std::string("'") + d + "'";
    }
}

std::string missing_note(const CsvTable& t, const std::string& source) {
    return source + ": " + std::to_string(t.missing) + " empty or NaN cell" + (t.missing == 1 ? "" : "s") +
           " read as NaN, first at line " + std::to_string(t.first_missing_line) + ", column " +
           std::to_string(t.first_missing_column);
}

Sequence to_sequence(CsvTable&& t, std::string name) {
    Sequence s;
    s.name = std::move(name);
    s.length = t.rows;
    s.channels = t.columns;
    s.values = std::move(t.values);
    s.beyond_float32 = std::move(t.beyond_float32);
    return s;
}

}  // namespace

Result<CsvTable> parse_csv_table(std::string_view text, const std::string& source) {
    if (auto st = check_is_text(text, source); !st) return st.error();
    if (has_cr_only_line_ends(text)) {  // classic Mac OS line ends: split on them like on '\n'
        std::string unix_text(text);
        std::replace(unix_text.begin(), unix_text.end(), '\r', '\n');
        return parse_csv_table(unix_text, source);
    }
    CsvTable t;
    t.delimiter = detect_delimiter(text);
    auto recs = split_records(text, t.delimiter, source);
    if (!recs) return recs.error();
    auto& records = *recs;
    if (records.empty()) return make_error(source + ": no data (expected rows of numbers, one row per step)");

    // A trailing delimiter on every row makes an empty last column that is not data.
    const bool trailing_empty = std::all_of(records.begin(), records.end(), [](const Record& r) {
        return r.fields.size() > 1 && trim(r.fields.back()).empty();
    });
    if (trailing_empty)
        for (auto& r : records) r.fields.pop_back();

    // Only ';'-separated files may use decimal commas (a ',' would be ambiguous).
    const bool decimal_comma = t.delimiter == ';';
    // Header: the first row holds a cell that is neither a number nor a missing marker.
    const auto& first = records.front();
    const bool has_header = std::any_of(first.fields.begin(), first.fields.end(), [&](const std::string& f) {
        return !is_missing_token(f) && !parse_number(f, decimal_comma);
    });
    size_t start = 0;
    t.columns = static_cast<int64_t>(first.fields.size());
    if (has_header) {
        for (const auto& f : first.fields) t.header.emplace_back(trim(f));
        start = 1;
    }
    t.rows = static_cast<int64_t>(records.size() - start);
    if (t.rows == 0)
        return make_error(source + ": only a header row (line " + std::to_string(first.line) +
                          "), no data rows (expected rows of numbers, one row per step)");
    t.values.reserve(static_cast<size_t>(t.rows * t.columns));
    for (size_t r = start; r < records.size(); ++r) {
        const auto& rec = records[r];
        if (static_cast<int64_t>(rec.fields.size()) != t.columns)
            return make_error(source + ": line " + std::to_string(rec.line) + " has " +
                              std::to_string(rec.fields.size()) + " fields but line " + std::to_string(first.line) +
                              " has " + std::to_string(t.columns) + " (delimiter " + delimiter_name(t.delimiter) +
                              "); expected the same number of columns on every row");
        for (size_t c = 0; c < rec.fields.size(); ++c) {
            const auto& f = rec.fields[c];
            if (is_missing_token(f)) {
                t.values.push_back(std::numeric_limits<float>::quiet_NaN());
                if (t.missing++ == 0) {
                    t.first_missing_line = rec.line;
                    t.first_missing_column = static_cast<int64_t>(c) + 1;
                }
            } else if (auto v = parse_number(f, decimal_comma)) {
                if (beyond_float32(*v, f)) t.beyond_float32.push_back(static_cast<int64_t>(t.values.size()));
                t.values.push_back(*v);
            } else {
                return make_error(source + ": line " + std::to_string(rec.line) + ", column " +
                                  std::to_string(c + 1) + ": expected a number, found " + quote_excerpt(f));
            }
        }
    }
    return t;
}

Result<Dataset> read_csv_text(std::string_view text, const std::string& source) {
    auto t = parse_csv_table(text, source);
    if (!t) return t.error();
    std::vector<std::string> notes;
    if (t->missing) notes.push_back(missing_note(*t, source));
    auto header = t->header;
    std::vector<Sequence> seqs;
    seqs.push_back(to_sequence(std::move(*t), std::filesystem::path(source).filename().string()));
    return Dataset::from_sequences(std::move(seqs), source, "csv", "float32", std::move(header), std::move(notes));
}

Result<Dataset> read_csv(const std::filesystem::path& path) {
    auto text = read_text_data_file(path);
    if (!text) return text.error();
    return read_csv_text(*text, path.string());
}

Result<Dataset> read_csv_folder(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (it->is_regular_file() && (ext == ".csv" || ext == ".tsv" || ext == ".txt")) files.push_back(it->path());
        if (files.size() > kMaxFolderFiles)
            return make_error(folder.string() + ": more than " + std::to_string(kMaxFolderFiles) + " files");
    }
    if (ec) return make_error("cannot list " + folder.string() + ": " + ec.message());
    if (files.empty()) return make_error(folder.string() + ": no .csv, .tsv or .txt files in this folder");
    std::sort(files.begin(), files.end());
    std::vector<Sequence> seqs;
    std::vector<std::string> notes, header;
    for (const auto& f : files) {
        auto text = read_text_data_file(f);
        if (!text) return text.error();
        auto t = parse_csv_table(*text, f.string());
        if (!t) return t.error();
        if (!seqs.empty() && t->columns != seqs.front().channels)
            return make_error(f.string() + ": " + std::to_string(t->columns) + " columns, but " +
                              files.front().filename().string() + " has " + std::to_string(seqs.front().channels) +
                              "; every file in the folder must have the same channels");
        if (t->missing) notes.push_back(missing_note(*t, f.string()));
        if (header.empty()) header = t->header;
        seqs.push_back(to_sequence(std::move(*t), f.filename().string()));
    }
    return Dataset::from_sequences(std::move(seqs), folder.string(), "csv-folder", "float32", std::move(header),
                                   std::move(notes));
}

}  // namespace convscope::data
