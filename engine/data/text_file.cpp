#include "data/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/limits.hpp"

namespace convscope::data {

namespace {

std::string file_kind(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISDIR(mode)) return "a folder";
    return "not a regular file";
}

Error not_regular(const std::string& name, mode_t mode) {
    return make_error(name + ": " + file_kind(mode) +
                      ", not a regular file; ConvScope reads data only from regular files (a pipe or device may never "
                      "end): copy the data to a file first");
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// Length of the UTF-8 sequence starting at `p` (1 to 4), or 0 when it is invalid.
// `n` is how many bytes are left; a sequence cut by the sniff window counts as valid.
size_t utf8_length(const unsigned char* p, size_t n) {
    const unsigned char c = p[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || (c > 0xF4)) return 0;
    for (size_t k = 1; k < len; ++k) {
        if (k >= n) return len;
        if ((p[k] & 0xC0) != 0x80) return 0;
    }
    return len;
}

}  // namespace

Status check_is_text(std::string_view text, const std::string& source) {
    const size_t n = std::min(text.size(), static_cast<size_t>(limits::kTextSniffBytes));
    const auto* b = reinterpret_cast<const unsigned char*>(text.data());
    for (size_t i = 0; i < n;) {
        if (b[i] == 0)
            return make_error(source + ": this is not a text file (a NUL byte at byte " + std::to_string(i) +
                              "); expected CSV/TSV or .ts text. Is it a binary file such as .npy or a spreadsheet?");
        const size_t len = utf8_length(b + i, n - i);
        if (len == 0)
            return make_error(source + ": this is not a text file (invalid UTF-8 at byte " + std::to_string(i) +
                              "); expected CSV/TSV or .ts text in UTF-8 or ASCII");
        i += len;
    }
    return Ok{};
}

bool has_cr_only_line_ends(std::string_view text) {
    return text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos;
}

Status check_regular_file(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return make_error("cannot open " + path.string() + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return not_regular(path.string(), st.st_mode);
    return Ok{};
}

Result<std::string> read_text_data_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (f.fd < 0) return make_error("cannot open " + name + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) return make_error("cannot read " + name + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return not_regular(name, st.st_mode);
    if (st.st_size > limits::kMaxTextFileBytes)
        return make_error(name + ": " + std::to_string(st.st_size) + " bytes, more than the " +
                          std::to_string(limits::kMaxTextFileBytes) +
                          "-byte limit for text data files (read whole); convert it to .npy, which is read in place");
    // Read at most one byte past the cap: a file that grows while we read it is still bounded.
    std::string text;
    text.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    for (;;) {
        if (done == text.size()) {
            if (text.size() > static_cast<size_t>(limits::kMaxTextFileBytes))
                return make_error(name + ": grew past the " + std::to_string(limits::kMaxTextFileBytes) +
                                  "-byte limit for text data files while being read");
            text.resize(std::min(text.size() + 65536, static_cast<size_t>(limits::kMaxTextFileBytes) + 1));
        }
        const ssize_t r = ::read(f.fd, text.data() + done, text.size() - done);
        if (r < 0) {
            if (errno == EINTR) continue;
            return make_error("cannot read " + name + ": " + std::strerror(errno));
        }
        if (r == 0) break;
        done += static_cast<size_t>(r);
    }
    text.resize(done);
    if (auto st_text = check_is_text(text, name); !st_text) return st_text.error();
    // Classic Mac OS line ends: every reader splits on '\n'.
    if (has_cr_only_line_ends(text)) std::replace(text.begin(), text.end(), '\r', '\n');
    return text;
}

}  // namespace convscope::data
