#include "tensor/tensor.hpp"

#include <stdexcept>

namespace convscope {

Tensor::Tensor(Shape s, float fill)
    : shape(std::move(s)), data(static_cast<size_t>(shape.element_count()), fill) {}

Tensor::Tensor(Shape s, std::vector<float> values) : shape(std::move(s)), data(std::move(values)) {
    if (shape.element_count() != static_cast<int64_t>(data.size()))
        throw std::invalid_argument("Tensor: " + std::to_string(data.size()) + " values do not fill shape " +
                                    shape.to_string());
}

Tensor transpose_last_two(const Tensor& t) {
    if (t.shape.rank() != 3) throw std::invalid_argument("transpose_last_two needs a rank-3 tensor, got " + t.shape.to_string());
    const int64_t b = t.shape[0], m = t.shape[1], n = t.shape[2];
    Tensor out(Shape{b, n, m});
    for (int64_t i = 0; i < b; ++i)
        for (int64_t j = 0; j < m; ++j)
            for (int64_t k = 0; k < n; ++k) out.at(i, k, j) = t.at(i, j, k);
    return out;
}

}  // namespace convscope
