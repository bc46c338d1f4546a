#include "common/pending_temp_files.hpp"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstring>

namespace convscope {

namespace {

// Process-wide by necessity: a signal handler can reach nothing else. Each slot
// is claimed with `claimed`, filled, then published with `ready`; the handler
// reads only published slots.
struct Slot {
    std::atomic<bool> claimed{false};
    std::atomic<bool> ready{false};
    char path[PATH_MAX] = {};
};
Slot g_slots[PendingTempFile::kMaxPendingTempFiles];

static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs lock-free flags");

}  // namespace

PendingTempFile::PendingTempFile(const std::filesystem::path& path) noexcept {
    const std::string& p = path.native();
    if (p.size() >= PATH_MAX) return;
    for (int i = 0; i < kMaxPendingTempFiles; ++i) {
        bool expected = false;
        if (g_slots[i].claimed.compare_exchange_strong(expected, true)) {
            std::memcpy(g_slots[i].path, p.c_str(), p.size() + 1);
            g_slots[i].ready.store(true);
            slot_ = i;
            return;
        }
    }
}

PendingTempFile::~PendingTempFile() {
    if (slot_ < 0) return;
    g_slots[slot_].ready.store(false);
    g_slots[slot_].claimed.store(false);
}

void remove_pending_temp_files() noexcept {
    for (auto& s : g_slots)
        if (s.ready.load()) ::unlink(s.path);
}

}  // namespace convscope
