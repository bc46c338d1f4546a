// Audio files (WAV, FLAC, OGG/Vorbis and whatever else libsndfile reads) as one
// sequence: frames are steps, audio channels are channels, samples are floats
// in [-1, 1] (libsndfile scales integer PCM).
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

#include "common/result.hpp"
#include "data/dataset.hpp"

namespace convscope::data {

Result<Dataset> read_audio(const std::filesystem::path& path);
// An audio file held in memory (tests, fuzzing); `source` names it.
Result<Dataset> read_audio_bytes(std::span<const std::byte> bytes, const std::string& source);

}  // namespace convscope::data
