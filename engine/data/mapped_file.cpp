#include "data/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace convscope::data {

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return make_error(path.string() + ": is a folder, expected a file");
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return make_error("cannot open " + path.string() + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return make_error("cannot read " + path.string() + ": " + why);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error(path.string() + ": not a regular file (a pipe, device or socket); ConvScope maps arrays "
                                          "only from regular files: copy the data to a file first");
    }
    const auto size = static_cast<size_t>(st.st_size);
    if (size == 0) {
        ::close(fd);
        return MappedFile(nullptr, 0);  // mmap of length 0 is invalid; an empty view is enough
    }
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    const std::string why = p == MAP_FAILED ? std::strerror(errno) : "";
    ::close(fd);  // the mapping keeps the file alive
    if (p == MAP_FAILED) return make_error("cannot map " + path.string() + ": " + why);
    return MappedFile(static_cast<const std::byte*>(p), size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() {
    if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
}

void MappedFile::release(size_t offset, size_t length) const {
    if (!data_ || offset >= size_) return;
    const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    // Only whole pages inside the range, so a neighbour's page is never dropped
    // (that would be safe, only slower: it re-faults from the page cache).
    size_t begin = (offset + page - 1) / page * page;
    size_t end = (offset + std::min(size_ - offset, length)) / page * page;
    if (end <= begin) return;
    ::madvise(const_cast<std::byte*>(data_) + begin, end - begin, MADV_DONTNEED);
}

}  // namespace convscope::data
