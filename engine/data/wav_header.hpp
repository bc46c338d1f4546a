// What a RIFF/WAVE header claims, read independently of libsndfile, so the audio
// reader can tell a truncated file or an unusual bit depth from a healthy one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace convscope::data {

struct WavHeaderClaims {
    int channels = 0;
    int bits_per_sample = 0;       // as declared (the valid bits of WAVE_FORMAT_EXTENSIBLE when given)
    int container_bits = 0;        // bits each sample occupies: block_align * 8 / channels
    int64_t declared_frames = -1;  // data chunk size / block_align; -1 when open-ended or unknown
};

// nullopt when `head` (the first bytes of the file) is not a RIFF/WAVE file or has no
// readable fmt chunk. Reading stops at the data chunk, so a few KB of header suffice.
std::optional<WavHeaderClaims> read_wav_header(std::span<const std::byte> head);

// The loader's notes for what the header claims against what was decoded: fewer
// frames than declared (a truncated file) and bit depths other than 8/16/24/32/64.
std::vector<std::string> wav_notes(const WavHeaderClaims& claims, int64_t decoded_frames, const std::string& source);

}  // namespace convscope::data
