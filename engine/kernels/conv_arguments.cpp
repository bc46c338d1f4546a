#include "kernels/conv_arguments.hpp"

#include <stdexcept>
#include <string>

namespace convscope::kernels {

namespace {

void require_size(const char* op, const char* what, std::size_t actual, int64_t expected, const std::string& shape) {
    if (actual != static_cast<std::size_t>(expected))
        throw std::invalid_argument(std::string(op) + ": " + what + " has " + std::to_string(actual) +
                                    " floats, expected " + std::to_string(expected) + " for shape " + shape);
}

std::string dims(int64_t a, int64_t b, int64_t c) {
    return "[" + std::to_string(a) + ", " + std::to_string(b) + ", " + std::to_string(c) + "]";
}

void check_common(const char* op, int64_t batch, int64_t length, int64_t out_length, int64_t in_channels,
                  int64_t out_channels, std::span<const float> x, std::span<const float> bias, std::span<float> y) {
    if (batch < 0) throw std::invalid_argument(std::string(op) + ": batch must be >= 0, got " + std::to_string(batch));
    if (length < 1)
        throw std::invalid_argument(std::string(op) + ": length must be >= 1, got " + std::to_string(length));
    if (out_length < 1)
        throw std::invalid_argument(std::string(op) + ": input length " + std::to_string(length) +
                                    " gives output length " + std::to_string(out_length) + " (must be >= 1)");
    require_size(op, "x", x.size(), batch * in_channels * length, dims(batch, in_channels, length) + " (N, C, L)");
    if (!bias.empty()) require_size(op, "bias", bias.size(), out_channels, "[" + std::to_string(out_channels) + "]");
    require_size(op, "y", y.size(), batch * out_channels * out_length,
                 dims(batch, out_channels, out_length) + " (N, C, L)");
}

}  // namespace

int64_t check_conv1d_arguments(const Conv1dGeometry& g, int64_t batch, int64_t length, std::span<const float> x,
                               std::span<const float> weight, std::span<const float> bias, std::span<float> y) {
    validate(g);
    const int64_t out_length = conv1d_output_length(g, length);
    check_common("conv1d", batch, length, out_length, g.in_channels, g.out_channels, x, bias, y);
    require_size("conv1d", "weight", weight.size(), g.out_channels * g.in_per_group() * g.kernel_size,
                 dims(g.out_channels, g.in_per_group(), g.kernel_size) + " (C_out, C_in/groups, K)");
    return out_length;
}

int64_t check_conv_transpose1d_arguments(const ConvTranspose1dGeometry& g, int64_t batch, int64_t length,
                                         std::span<const float> x, std::span<const float> weight,
                                         std::span<const float> bias, std::span<float> y) {
    validate(g);
    const int64_t out_length = conv_transpose1d_output_length(g, length);
    check_common("conv_transpose1d", batch, length, out_length, g.in_channels, g.out_channels, x, bias, y);
    require_size("conv_transpose1d", "weight", weight.size(), g.in_channels * g.out_per_group() * g.kernel_size,
                 dims(g.in_channels, g.out_per_group(), g.kernel_size) + " (C_in, C_out/groups, K)");
    return out_length;
}

}  // namespace convscope::kernels
