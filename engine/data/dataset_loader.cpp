#include "data/dataset_loader.hpp"

#include <algorithm>
#include <cctype>

namespace convscope::data {

namespace {

std::string lower_extension(const std::filesystem::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

}  // namespace

const char* dataset_file_patterns() { return "*.npy *.npz *.csv *.tsv *.txt *.ts *.wav *.flac *.ogg"; }

Result<Dataset> load_dataset(const std::filesystem::path& path) {
    const std::string ext = lower_extension(path);
    if (ext == ".npy") {
        auto a = NpyArray::open(path);
        if (!a) return a.error();
        return Dataset::from_array(std::move(*a));
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return make_error("cannot open " + path.string() + ": no such file or folder");
    return make_error(path.string() + ": unsupported file type '" + ext + "'; expected one of " +
                      dataset_file_patterns());
}

}  // namespace convscope::data
