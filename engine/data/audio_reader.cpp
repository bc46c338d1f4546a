#include "data/audio_reader.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>

#include "data/wav_header.hpp"

namespace convscope::data {

namespace {

// ~1 GB of float samples: beyond that a file is not something to inspect whole,
// and a corrupt header must not make us decode forever.
constexpr int64_t kMaxSamples = int64_t{1} << 28;
constexpr int kMaxChannels = 1024;

struct SndClose {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndPtr = std::unique_ptr<SNDFILE, SndClose>;

struct MemoryStream {
    std::span<const std::byte> bytes;
    sf_count_t pos = 0;
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryStream*>(user)->bytes.size()); }
sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
    auto* m = static_cast<MemoryStream*>(user);
    sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : static_cast<sf_count_t>(m->bytes.size());
    const sf_count_t target = base + offset;
    if (target < 0 || target > static_cast<sf_count_t>(m->bytes.size())) return -1;
    m->pos = target;
    return m->pos;
}
sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
    auto* m = static_cast<MemoryStream*>(user);
    const sf_count_t left = static_cast<sf_count_t>(m->bytes.size()) - m->pos;
    const sf_count_t n = std::max<sf_count_t>(0, std::min(count, left));
    if (n > 0) std::memcpy(ptr, m->bytes.data() + m->pos, static_cast<size_t>(n));
    m->pos += n;
    return n;
}
sf_count_t mem_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t mem_tell(void* user) { return static_cast<MemoryStream*>(user)->pos; }

std::string subtype_name(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8: return "int8";
        case SF_FORMAT_PCM_U8: return "uint8";
        case SF_FORMAT_PCM_16: return "int16";
        case SF_FORMAT_PCM_24: return "int24";
        case SF_FORMAT_PCM_32: return "int32";
        case SF_FORMAT_FLOAT: return "float32";
        case SF_FORMAT_DOUBLE: return "float64";
        case SF_FORMAT_VORBIS: return "vorbis";
        default: return "audio";
    }
}

// A WAV header's fmt and data chunks sit in the first few KB (after optional LIST/bext chunks).
constexpr size_t kWavHeaderBytes = 64 * 1024;

Result<Dataset> decode(SndPtr file, const SF_INFO& info, const std::string& source,
                       std::span<const std::byte> head) {
    if (info.channels < 1 || info.channels > kMaxChannels)
        return make_error(source + ": " + std::to_string(info.channels) + " audio channels (expected 1 to " +
                          std::to_string(kMaxChannels) + ")");
    Sequence s;
    s.name = std::filesystem::path(source).filename().string();
    s.channels = info.channels;
    const sf_count_t chunk = 4096;
    std::vector<float> buf(static_cast<size_t>(chunk * info.channels));
    // Bounded: each pass adds frames or ends, and the total is capped.
    for (;;) {
        const sf_count_t got = sf_readf_float(file.get(), buf.data(), chunk);
        if (got <= 0) break;
        if (static_cast<int64_t>(s.values.size()) + got * info.channels > kMaxSamples)
            return make_error(source + ": more than " + std::to_string(kMaxSamples) + " samples; cut the recording into pieces");
        s.values.insert(s.values.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got * info.channels));
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        return make_error(source + ": decoding stopped at frame " + std::to_string(s.values.size() / static_cast<size_t>(info.channels)) +
                          ": " + sf_strerror(file.get()));
    s.length = static_cast<int64_t>(s.values.size()) / info.channels;
    if (s.length == 0) return make_error(source + ": the audio file holds no samples");
    std::vector<std::string> notes{source + ": " + std::to_string(info.samplerate) + " Hz, " +
                                   std::to_string(info.channels) + " channel" + (info.channels == 1 ? "" : "s") +
                                   ", samples scaled to [-1, 1]"};
    if (auto claims = read_wav_header(head))
        for (auto& n : wav_notes(*claims, s.length, source)) notes.push_back(std::move(n));
    std::vector<Sequence> seqs;
    seqs.push_back(std::move(s));
    return Dataset::from_sequences(std::move(seqs), source, "audio", subtype_name(info.format), {}, std::move(notes));
}

}  // namespace

Result<Dataset> read_audio(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return make_error("cannot open " + path.string() + ": not a readable file");
    SF_INFO info{};
    SndPtr f(sf_open(path.c_str(), SFM_READ, &info));
    if (!f) return make_error(path.string() + ": not a readable audio file: " + sf_strerror(nullptr));
    std::vector<std::byte> head(kWavHeaderBytes);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
    return decode(std::move(f), info, path.string(), head);
}

Result<Dataset> read_audio_bytes(std::span<const std::byte> bytes, const std::string& source) {
    MemoryStream stream{bytes, 0};
    SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
    SF_INFO info{};
    SndPtr f(sf_open_virtual(&io, SFM_READ, &info, &stream));
    if (!f) return make_error(source + ": not a readable audio file: " + sf_strerror(nullptr));
    return decode(std::move(f), info, source, bytes.first(std::min(bytes.size(), kWavHeaderBytes)));  // the stream outlives the file: decode returns before it ends
}

}  // namespace convscope::data
