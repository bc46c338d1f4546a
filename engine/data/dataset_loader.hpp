// One entry point that opens any supported sequence file (or folder) by its
// extension and, where extensions are ambiguous (.tsv), by its content.
#pragma once

#include <filesystem>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

// .npy; .npz (first array, or "file.npz:key"); .csv/.tsv/.txt (UCR-style .tsv
// detected); a folder of .csv/.tsv/.txt files; .ts; .wav/.flac/.ogg.
Result<Dataset> load_dataset(const std::filesystem::path& path);

// The formats load_dataset understands, for file dialogs: "*.npy *.npz ...".
const char* dataset_file_patterns();

}  // namespace convscope::data
