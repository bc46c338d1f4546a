#include "common/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace convscope {

namespace {
std::string errno_text() { return std::strerror(errno); }
}  // namespace

Status write_file_atomically(const std::filesystem::path& target, std::span<const char> bytes) {
    std::random_device rd;
    const auto tmp = target.parent_path() /
                     ("." + target.filename().string() + ".tmp-" + std::to_string(rd() % 1000000));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return make_error("cannot write " + target.string() + ": " + errno_text());
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const auto why = errno_text();
            ::close(fd);
            ::unlink(tmp.c_str());
            return make_error("cannot write " + target.string() + ": " + why);
        }
        done += static_cast<size_t>(n);
    }
    // fsync before rename: a crash must leave either the old file or the new one, whole.
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const auto why = errno_text();
        ::unlink(tmp.c_str());
        return make_error("cannot write " + target.string() + ": " + why);
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const auto why = errno_text();
        ::unlink(tmp.c_str());
        return make_error("cannot replace " + target.string() + ": " + why);
    }
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
