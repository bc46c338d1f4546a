#include "data/dataset_loader.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "data/audio_reader.hpp"
#include "data/csv_reader.hpp"
#include "data/npz_reader.hpp"
#include "data/text_file.hpp"
#include "data/ts_reader.hpp"
#include "data/ucr_reader.hpp"

namespace convscope::data {

namespace {

std::string lower_extension(const std::filesystem::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

std::string first_bytes(const std::filesystem::path& p, size_t n) {
    std::ifstream in(p, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
    return s;
}

Result<Dataset> load_npz(const std::filesystem::path& path, const std::string& key) {
    auto a = read_npz_array(path, key);
    if (!a) return a.error();
    return Dataset::from_array(std::move(*a), "npz");
}

Result<Dataset> load_delimited(const std::filesystem::path& path, bool may_be_ucr) {
    auto text = read_text_data_file(path);
    if (!text) return text.error();
    const auto name = path.filename().string();
    const bool named_ucr = name.find("_TRAIN") != std::string::npos || name.find("_TEST") != std::string::npos;
    if (named_ucr || (may_be_ucr && looks_like_ucr(*text, name))) return read_ucr_text(*text, path.string());
    return read_csv_text(*text, path.string());
}

}  // namespace

const char* dataset_file_patterns() { return "*.npy *.npz *.csv *.tsv *.txt *.ts *.wav *.flac *.ogg"; }

Result<Dataset> load_dataset(const std::filesystem::path& path) {
    std::error_code ec;
    // "data.npz:key" names one array of an archive.
    const std::string s = path.string();
    if (const auto colon = s.rfind(':'); colon != std::string::npos && !std::filesystem::exists(path, ec)) {
        const std::filesystem::path archive = s.substr(0, colon);
        if (lower_extension(archive) == ".npz") return load_npz(archive, s.substr(colon + 1));
    }
    if (std::filesystem::is_directory(path, ec)) return read_csv_folder(path);
    if (!std::filesystem::exists(path, ec)) return make_error("cannot open " + s + ": no such file or folder");
    if (auto st = check_regular_file(path); !st) return st.error();

    const std::string ext = lower_extension(path);
    if (ext == ".npy") {
        auto a = NpyArray::open(path);
        if (!a) return a.error();
        return Dataset::from_array(std::move(*a));
    }
    if (ext == ".npz") return load_npz(path, {});
    if (ext == ".csv") return load_delimited(path, false);
    if (ext == ".tsv" || ext == ".txt") return load_delimited(path, true);
    if (ext == ".ts") return read_ts(path);
    if (ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".oga" || ext == ".aiff" || ext == ".aif")
        return read_audio(path);
    // Unknown extension: trust the content when it is unmistakable.
    const std::string head = first_bytes(path, 6);
    if (head == "\x93NUMPY") {
        auto a = NpyArray::open(path);
        if (!a) return a.error();
        return Dataset::from_array(std::move(*a));
    }
    if (head.rfind("PK\x03\x04", 0) == 0) return load_npz(path, {});
    return make_error(s + ": unsupported file type '" + ext + "'; expected one of " + dataset_file_patterns() +
                      " or a folder of .csv files");
}

}  // namespace convscope::data
