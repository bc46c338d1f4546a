#include "tensor/shape.hpp"

#include <stdexcept>

namespace convscope {

bool Shape::fully_known() const {
    for (auto d : dims)
        if (d == kAnyDim) return false;
    return true;
}

int64_t Shape::element_count() const {
    if (!fully_known()) return kAnyDim;
    const CheckedInt n = checked_element_count();
    if (!n.ok()) throw std::overflow_error("element count of " + to_string() + " overflows 64 bits");
    return n.value();
}

CheckedInt Shape::checked_element_count() const {
    CheckedInt n = 1;
    for (auto d : dims)
        if (d != kAnyDim) n *= d;
    return n;
}

std::string Shape::to_string() const {
    std::string s = "(";
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i) s += ", ";
        s += dims[i] == kAnyDim ? std::string("None") : std::to_string(dims[i]);
    }
    if (dims.size() == 1) s += ",";
    return s + ")";
}

}  // namespace convscope
