#include "data/wav_header.hpp"

#include <cstring>

namespace convscope::data {

namespace {

uint32_t le32(const std::byte* p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
           static_cast<uint32_t>(p[3]) << 24;
}
uint16_t le16(const std::byte* p) { return static_cast<uint16_t>(static_cast<uint16_t>(p[0]) | static_cast<uint16_t>(p[1]) << 8); }
bool tag(const std::byte* p, const char* t) { return std::memcmp(p, t, 4) == 0; }

constexpr uint16_t kFormatExtensible = 0xFFFE;

}  // namespace

std::optional<WavHeaderClaims> read_wav_header(std::span<const std::byte> head) {
    if (head.size() < 12 || !tag(head.data(), "RIFF") || !tag(head.data() + 8, "WAVE")) return std::nullopt;
    WavHeaderClaims c;
    int block_align = 0;
    bool have_fmt = false;
    // Walk the chunks: each has an 8-byte header and is padded to an even size.
    size_t pos = 12;
    while (pos + 8 <= head.size()) {
        const std::byte* chunk = head.data() + pos;
        const uint64_t size = le32(chunk + 4);
        if (tag(chunk, "fmt ") && size >= 16 && pos + 8 + 16 <= head.size()) {
            const std::byte* f = chunk + 8;
            c.channels = le16(f + 2);
            block_align = le16(f + 12);
            c.bits_per_sample = le16(f + 14);
            if (le16(f) == kFormatExtensible && size >= 20 && pos + 8 + 20 <= head.size() && le16(f + 18) != 0)
                c.bits_per_sample = le16(f + 18);  // wValidBitsPerSample
            if (c.channels > 0) c.container_bits = block_align * 8 / c.channels;
            have_fmt = true;
        } else if (tag(chunk, "data")) {
            // 0 and 0xFFFFFFFF mark a stream whose length was never written back.
            if (have_fmt && block_align > 0 && size != 0 && size != 0xFFFFFFFFu)
                c.declared_frames = static_cast<int64_t>(size / static_cast<uint64_t>(block_align));
            break;
        }
        pos += 8 + size + (size & 1);
    }
    if (!have_fmt) return std::nullopt;
    return c;
}

std::vector<std::string> wav_notes(const WavHeaderClaims& claims, int64_t decoded_frames, const std::string& source) {
    std::vector<std::string> notes;
    if (claims.declared_frames > decoded_frames)
        notes.push_back(source + ": truncated: the header declares " + std::to_string(claims.declared_frames) +
                        " frames but the file holds only " + std::to_string(decoded_frames) +
                        "; the missing " + std::to_string(claims.declared_frames - decoded_frames) +
                        " frames were not read (was the copy or the recording cut short?)");
    const int b = claims.bits_per_sample;
    if (b != 8 && b != 16 && b != 24 && b != 32 && b != 64)
        notes.push_back(source + ": unusual bit depth: " + std::to_string(b) + "-bit samples in " +
                        std::to_string(claims.container_bits) +
                        "-bit containers; they were decoded as full containers and scaled to [-1, 1], so check "
                        "their range (most tools write 8, 16, 24 or 32 bits)");
    return notes;
}

}  // namespace convscope::data
