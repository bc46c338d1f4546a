#include "common/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "common/pending_temp_files.hpp"

namespace convscope {

namespace {

std::string errno_text() { return std::strerror(errno); }

Status write_all(int fd, std::span<const char> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(errno_text());
        }
        done += static_cast<size_t>(n);
    }
    return Ok{};
}

// The file a chain of symbolic links ends at (the path itself when it is no
// link), so that saving through a link writes its target rather than replacing
// the link. A dangling link gives the path it points to.
Result<std::filesystem::path> link_target(const std::filesystem::path& path) {
    std::filesystem::path p = path;
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!std::filesystem::is_symlink(p, ec)) return p;
        const auto next = std::filesystem::read_symlink(p, ec);
        if (ec) return make_error("cannot write " + path.string() + ": " + ec.message());
        p = next.is_absolute() ? next : p.parent_path() / next;
    }
    return make_error("cannot write " + path.string() + ": too many levels of symbolic links");
}

// A character device (/dev/null, a terminal) or a FIFO is written in place:
// renaming over it would replace the device node with a regular file.
Status write_special(const std::filesystem::path& target, const struct stat& st, std::span<const char> bytes) {
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
        return make_error("cannot write " + target.string() + ": it is " +
                          (S_ISDIR(st.st_mode) ? "a folder" : S_ISBLK(st.st_mode) ? "a block device" : "not a regular file") +
                          "; name a file to write");
    // Non-blocking open, so a FIFO nobody reads is an error rather than a hang.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return make_error("cannot write " + target.string() + ": " +
                          (errno == ENXIO ? std::string("no process is reading the FIFO") : errno_text()));
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    Status st_write = write_all(fd, bytes);
    ::close(fd);
    if (!st_write) return make_error("cannot write " + target.string() + ": " + st_write.error().message);
    return Ok{};
}

}  // namespace

Status write_file_atomically(const std::filesystem::path& path, std::span<const char> bytes) {
    if (path.empty()) return make_error("cannot write a file with an empty name");
    // stat() follows every link, /dev/stdout's /proc magic included.
    struct stat existing {};
    const bool exists = ::stat(path.c_str(), &existing) == 0;
    if (exists && !S_ISREG(existing.st_mode)) return write_special(path, existing, bytes);
    auto resolved = link_target(path);
    if (!resolved) return resolved.error();
    const std::filesystem::path& target = *resolved;

    std::random_device rd;
    const auto tmp = target.parent_path() /
                     ("." + target.filename().string() + ".tmp-" + std::to_string(rd() % 1000000));
    // 0666 less the umask, as any new file; an existing file's mode is copied below.
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return make_error("cannot write " + path.string() + ": " + errno_text());
    const PendingTempFile pending(tmp);
    auto fail = [&](const std::string& verb, const std::string& why) -> Status {
        ::unlink(tmp.c_str());
        return make_error("cannot " + verb + " " + path.string() + ": " + why);
    };
    if (exists) {
        // Replacing a file keeps its permissions (a private 0600 file stays private)
        // and, where allowed, its owner.
        if (::fchmod(fd, existing.st_mode & 07777) != 0) {
            const auto why = errno_text();
            ::close(fd);
            return fail("write", why);
        }
        if (::geteuid() == 0) (void)::fchown(fd, existing.st_uid, existing.st_gid);
    }
    if (auto st = write_all(fd, bytes); !st) {
        ::close(fd);
        return fail("write", st.error().message);
    }
    // fsync before rename: a crash must leave either the old file or the new one, whole.
    if (::fsync(fd) != 0) {
        const auto why = errno_text();
        ::close(fd);
        return fail("write", why);
    }
    if (::close(fd) != 0) return fail("write", errno_text());
    if (::rename(tmp.c_str(), target.c_str()) != 0) return fail("replace", errno_text());
    return Ok{};
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return make_error(path.string() + ": is a folder, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("cannot open " + path.string() + ": " + errno_text());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return make_error("cannot read " + path.string());
    return ss.str();
}

}  // namespace convscope
