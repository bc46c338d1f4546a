// A read-only memory mapping of a whole file, unmapped when the last owner goes.
// Mapping (not reading) is what lets a 1 GB array open instantly.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

#include "common/result.hpp"

namespace convscope::data {

class MappedFile {
public:
    static Result<MappedFile> open(const std::filesystem::path& path);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const std::byte> bytes() const { return {data_, size_}; }
    // Hint that a byte range will not be read again soon, so its pages can leave
    // this process's resident set (the kernel's page cache keeps them).
    void release(size_t offset, size_t length) const;

private:
    MappedFile(const std::byte* data, size_t size) : data_(data), size_(size) {}
    const std::byte* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace convscope::data
