#include "data/npz_reader.hpp"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>

namespace convscope::data {

namespace {

struct ZipDiscard {
    void operator()(zip_t* z) const { zip_discard(z); }  // read-only: never write the archive back
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
struct ZipFileClose {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;

constexpr uint64_t kMaxDeflateRatio = 1100;  // deflate cannot expand more than ~1032:1

std::string zip_error_text(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string s = zip_error_strerror(&e);
    zip_error_fini(&e);
    return s;
}

struct Archive {
    ZipPtr zip;
    uint64_t archive_bytes = 0;
    std::string source;
};

Result<Archive> open_path(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return make_error("cannot open " + path.string() + ": " + ec.message());
    int code = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (!z) return make_error(path.string() + ": not a readable .npz (zip) archive: " + zip_error_text(code));
    return Archive{ZipPtr(z), size, path.string()};
}

Result<Archive> open_bytes(std::span<const std::byte> bytes, const std::string& source) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (!src) {
        std::string why = zip_error_strerror(&err);
        zip_error_fini(&err);
        return make_error(source + ": " + why);
    }
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!z) {
        zip_source_free(src);  // still ours when open fails
        std::string why = zip_error_strerror(&err);
        zip_error_fini(&err);
        return make_error(source + ": not a readable .npz (zip) archive: " + why);
    }
    zip_error_fini(&err);
    return Archive{ZipPtr(z), bytes.size(), source};
}

struct Member {
    zip_uint64_t index = 0;
    std::string name;  // without .npy
    zip_stat_t st{};
};

Result<std::vector<Member>> members(const Archive& a) {
    const zip_int64_t n = zip_get_num_entries(a.zip.get(), 0);
    if (n < 0) return make_error(a.source + ": cannot list the archive");
    std::vector<Member> out;
    std::set<std::string> seen;
    for (zip_int64_t i = 0; i < n; ++i) {
        Member m;
        m.index = static_cast<zip_uint64_t>(i);
        zip_stat_init(&m.st);
        if (zip_stat_index(a.zip.get(), m.index, 0, &m.st) != 0 || !(m.st.valid & ZIP_STAT_NAME)) continue;
        std::string name = m.st.name;
        if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;
        m.name = name.substr(0, name.size() - 4);
        // numpy.load keeps the last of two same-named members, a zip tool may show the first:
        // whichever we chose, someone would see other data than the file's author meant.
        if (!seen.insert(name).second)
            return make_error(a.source + ":" + m.name + ": the archive holds two members named '" + name +
                              "' (entries " + std::to_string(std::find_if(out.begin(), out.end(), [&](const Member& o) {
                                  return o.name == m.name;
                              })->index) + " and " + std::to_string(i) +
                              "); which one is meant is ambiguous, so the archive is refused. Rewrite it with "
                              "numpy.savez so every array has one name");
        out.push_back(std::move(m));
    }
    return out;
}

// Reads up to `limit` bytes of a member; the loop ends because each read either
// returns more bytes or ends it.
Result<std::vector<std::byte>> read_member(const Archive& a, const Member& m, uint64_t limit) {
    const std::string where = a.source + ":" + m.name;
    if (!(m.st.valid & ZIP_STAT_SIZE) || !(m.st.valid & ZIP_STAT_COMP_SIZE))
        return make_error(where + ": the archive does not record the member's size");
    if (m.st.comp_size > a.archive_bytes || m.st.size > std::max<uint64_t>(m.st.comp_size, 1) * kMaxDeflateRatio)
        return make_error(where + ": member claims " + std::to_string(m.st.size) + " bytes from " +
                          std::to_string(m.st.comp_size) + " compressed bytes in a " + std::to_string(a.archive_bytes) +
                          "-byte archive (the archive is damaged)");
    const uint64_t want = std::min<uint64_t>(limit, m.st.size);
    ZipFilePtr f(zip_fopen_index(a.zip.get(), m.index, 0));
    if (!f) return make_error(where + ": cannot open member: " + zip_strerror(a.zip.get()));
    std::vector<std::byte> buf(static_cast<size_t>(want));
    uint64_t done = 0;
    while (done < want) {
        const zip_int64_t r = zip_fread(f.get(), buf.data() + done, want - done);
        if (r < 0) return make_error(where + ": cannot read member at byte " + std::to_string(done) + ": " + zip_file_strerror(f.get()));
        if (r == 0) break;
        done += static_cast<uint64_t>(r);
    }
    if (done < want)
        return make_error(where + ": member ends at byte " + std::to_string(done) + " but should have " + std::to_string(want));
    // A whole member must match the CRC-32 the archive recorded for it, as numpy (zipfile) insists.
    if (want == m.st.size && (m.st.valid & ZIP_STAT_CRC)) {
        uLong crc = crc32(0L, Z_NULL, 0);
        for (uint64_t off = 0; off < done;) {
            const auto n = static_cast<uInt>(std::min<uint64_t>(done - off, uint64_t{1} << 30));
            crc = crc32(crc, reinterpret_cast<const Bytef*>(buf.data() + off), n);
            off += n;
        }
        if (static_cast<uint32_t>(crc) != m.st.crc) {
            char text[96];
            std::snprintf(text, sizeof text, "its CRC-32 is %08x but the archive records %08x",
                          static_cast<unsigned>(crc), static_cast<unsigned>(m.st.crc));
            return make_error(where + ": the member's data is damaged (" + text +
                              "); numpy refuses it too. Re-create or re-download the .npz");
        }
    }
    return buf;
}

Result<NpzEntry> describe(const Archive& a, const Member& m) {
    // The header is at most 12 bytes of preamble plus the (bounded) dict.
    auto head = read_member(a, m, 12);
    if (!head) return head.error();
    const std::string where = a.source + ":" + m.name;
    auto* b = reinterpret_cast<const unsigned char*>(head->data());
    uint64_t need = 12;
    if (head->size() >= 10 && b[6] == 1) need = 10 + (b[8] | (b[9] << 8));
    else if (head->size() >= 12) need = 12 + (b[8] | (b[9] << 8) | (b[10] << 16) | (uint64_t(b[11]) << 24));
    need = std::min<uint64_t>(need, (1u << 20) + 12);
    auto full = read_member(a, m, need);
    if (!full) return full.error();
    auto h = parse_npy_header(*full, where, m.st.size);
    if (!h) return h.error();
    return NpzEntry{m.name, h->shape, h->dtype.name(), m.st.comp_method != ZIP_CM_STORE, m.st.size};
}

Result<std::vector<NpzEntry>> list(Result<Archive> a) {
    if (!a) return a.error();
    auto ms = members(*a);
    if (!ms) return ms.error();
    std::vector<NpzEntry> out;
    for (const auto& m : *ms) {
        auto e = describe(*a, m);
        if (!e) return e.error();
        out.push_back(std::move(*e));
    }
    return out;
}

Result<NpyArray> read(Result<Archive> a, const std::string& key) {
    if (!a) return a.error();
    auto ms = members(*a);
    if (!ms) return ms.error();
    if (ms->empty()) return make_error(a->source + ": the archive holds no .npy arrays");
    const Member* chosen = &ms->front();
    if (!key.empty()) {
        auto it = std::find_if(ms->begin(), ms->end(), [&](const Member& m) { return m.name == key; });
        if (it == ms->end()) {
            std::string names;
            for (const auto& m : *ms) names += (names.empty() ? "" : ", ") + m.name;
            return make_error(a->source + ": no array named '" + key + "'; the archive holds: " + names);
        }
        chosen = &*it;
    }
    // Check the header against the member size before decompressing it whole.
    auto e = describe(*a, *chosen);
    if (!e) return e.error();
    auto bytes = read_member(*a, *chosen, chosen->st.size);
    if (!bytes) return bytes.error();
    return NpyArray::from_bytes(std::move(*bytes), a->source + ":" + chosen->name);
}

}  // namespace

Result<std::vector<NpzEntry>> list_npz(const std::filesystem::path& path) { return list(open_path(path)); }
Result<NpyArray> read_npz_array(const std::filesystem::path& path, const std::string& key) {
    return read(open_path(path), key);
}
Result<std::vector<NpzEntry>> list_npz_bytes(std::span<const std::byte> archive, const std::string& source) {
    return list(open_bytes(archive, source));
}
Result<NpyArray> read_npz_array_bytes(std::span<const std::byte> archive, const std::string& source, const std::string& key) {
    return read(open_bytes(archive, source), key);
}

}  // namespace convscope::data
