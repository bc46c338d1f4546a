// How much memory a piece of work may take: the machine's available memory
// (MemAvailable in /proc/meminfo) unless the user sets a limit, sizes people can
// read ("7.5 GB"), and the check that refuses work before it allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/checked_math.hpp"  // checked_mul/checked_add, used with these sizes
#include "common/result.hpp"

namespace convscope {

// MemAvailable in bytes, or nullopt where /proc/meminfo cannot be read.
std::optional<uint64_t> available_memory_bytes();

// "812 bytes", "64.0 KB", "7.45 GB" (powers of 1024, as free(1) counts).
std::string byte_size_text(uint64_t bytes);

// "16G", "512M", "1.5GB", "1000000" (bytes); nullopt for anything else or above 2^62.
std::optional<uint64_t> parse_byte_size(std::string_view text);

struct MemoryBudget {
    uint64_t bytes = 0;
    bool from_user = false;  // --max-memory; otherwise the machine's available memory
};
// The user's limit if given, else MemAvailable; nullopt if neither is known (no check).
std::optional<MemoryBudget> memory_budget(std::optional<uint64_t> user_limit);

// Refuses `needed` bytes above the budget: "<what> needs about 7.45 GB, but only
// 3.10 GB is available (MemAvailable); <override_hint>".
Status check_fits_in_memory(uint64_t needed, const std::string& what, const std::optional<MemoryBudget>& budget,
                            const std::string& override_hint);

}  // namespace convscope
