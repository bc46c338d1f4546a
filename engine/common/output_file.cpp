#include "common/output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace convscope {

namespace {

struct FileId {
    dev_t dev;
    ino_t ino;
    bool folder;
    bool regular;
    bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
};

std::optional<FileId> id_of(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::nullopt;  // follows links
    return FileId{st.st_dev, st.st_ino, S_ISDIR(st.st_mode), S_ISREG(st.st_mode)};
}

// The folder a new file at `out` lands in: the folder of the file a link chain ends at.
std::filesystem::path folder_of(const std::filesystem::path& out) {
    std::error_code ec;
    auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(out, ec), ec);
    if (ec) p = std::filesystem::absolute(out, ec);
    return p.parent_path();
}

std::string named(const NamedPath& n) { return n.option + " " + n.path.string(); }

}  // namespace

Status check_output_files(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
    std::vector<std::pair<const NamedPath*, std::optional<FileId>>> seen;
    for (const auto& out : outputs) {
        if (out.path.empty()) return make_error(out.option + " needs a file name, got an empty one");
        const auto id = id_of(out.path);
        if (id && id->folder) return make_error(named(out) + " is a folder; name a file to write");
        for (const auto& in : inputs) {
            const auto in_id = id_of(in.path);
            if (!in_id) continue;
            if (id && *id == *in_id)
                return make_error("refusing to overwrite the input " + named(in) + " with " + named(out) +
                                  " (the same file, perhaps through a link); choose another output name");
            if (in_id->folder) {
                if (auto parent = id_of(folder_of(out.path)); parent && *parent == *in_id)
                    return make_error(named(out) + " is inside the input folder " + in.path.string() +
                                      "; writing it could replace one of its files. Write it elsewhere");
            }
        }
        for (const auto& [other, other_id] : seen)
            if ((id && other_id && *id == *other_id) ||
                std::filesystem::absolute(out.path).lexically_normal() == std::filesystem::absolute(other->path).lexically_normal())
                return make_error(other->option + " and " + out.option + " must be different files (both are " +
                                  out.path.string() + ")");
        seen.emplace_back(&out, id);

        // A device or FIFO is written in place (see atomic_write.hpp): its folder does not matter.
        if (id && !id->regular) continue;
        // Checked now rather than after the work: a missing folder must not cost a long run.
        const auto folder = folder_of(out.path);
        struct stat st {};
        if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            return make_error("cannot write " + out.path.string() + " (" + out.option + "): the folder " +
                              folder.string() + " does not exist");
        if (::access(folder.c_str(), W_OK) != 0)
            return make_error("cannot write " + out.path.string() + " (" + out.option + "): the folder " +
                              folder.string() + " is not writable: " + std::strerror(errno));
        if (id && ::access(out.path.c_str(), W_OK) != 0)
            return make_error("cannot write " + out.path.string() + " (" + out.option +
                              "): the existing file is not writable: " + std::strerror(errno));
    }
    return Ok{};
}

}  // namespace convscope
