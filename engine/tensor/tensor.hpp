// A dense float32 tensor, row-major (C order), owning its buffer.
#pragma once

#include <span>
#include <vector>

#include "tensor/shape.hpp"

namespace convscope {

struct Tensor {
    Shape shape;
    std::vector<float> data;

    Tensor() = default;
    explicit Tensor(Shape s, float fill = 0.0f);
    Tensor(Shape s, std::vector<float> values);

    int64_t size() const { return static_cast<int64_t>(data.size()); }
    int64_t rank() const { return shape.rank(); }
    std::span<float> values() { return data; }
    std::span<const float> values() const { return data; }
    // Rank-3 helpers: element (i, j, k).
    float& at(int64_t i, int64_t j, int64_t k) { return data[static_cast<size_t>((i * shape[1] + j) * shape[2] + k)]; }
    float at(int64_t i, int64_t j, int64_t k) const { return data[static_cast<size_t>((i * shape[1] + j) * shape[2] + k)]; }
};

// Swap the last two axes of a rank-3 tensor: (B, L, C) <-> (B, C, L).
Tensor transpose_last_two(const Tensor& t);

}  // namespace convscope
