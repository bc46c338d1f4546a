// Temporary files being written right now, so that a signal handler can remove
// them before the process ends (Ctrl+C during a save must not leave .NAME.tmp-N).
#pragma once

#include <filesystem>

namespace convscope {

// Registers `path` for the lifetime of the object. At most kMaxPendingTempFiles
// at once; beyond that a file is simply not registered (it is still removed on
// every ordinary error path).
class PendingTempFile {
public:
    static constexpr int kMaxPendingTempFiles = 8;
    explicit PendingTempFile(const std::filesystem::path& path) noexcept;
    ~PendingTempFile();
    PendingTempFile(const PendingTempFile&) = delete;
    PendingTempFile& operator=(const PendingTempFile&) = delete;

private:
    int slot_ = -1;
};

// Unlinks every registered temporary file. Async-signal-safe: only unlink(2)
// on fixed buffers, no allocation, no locks.
void remove_pending_temp_files() noexcept;

}  // namespace convscope
