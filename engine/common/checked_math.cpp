#include <cstdio>

#include "common/checked_math.hpp"

namespace convscope {

std::string CheckedInt::text() const {
    if (ok_) return std::to_string(value_);
    char buf[40];
    std::snprintf(buf, sizeof buf, "about %.3g", approx_);
    return buf;
}

}  // namespace convscope
