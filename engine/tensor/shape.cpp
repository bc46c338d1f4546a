#include "tensor/shape.hpp"

namespace convscope {

bool Shape::fully_known() const {
    for (auto d : dims)
        if (d == kAnyDim) return false;
    return true;
}

int64_t Shape::element_count() const {
    int64_t n = 1;
    for (auto d : dims) {
        if (d == kAnyDim) return kAnyDim;
        n *= d;
    }
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
