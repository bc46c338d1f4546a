// Scratch memory reused across convolution calls, so repeated calls do not pay
// the first-touch cost of fresh pages, and bounded so a 10-million-step signal
// is processed in tiles rather than lowered whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace convscope::kernels {

class ConvWorkspace {
public:
    // Hard cap on the patch scratch, whatever the input length.
    static constexpr std::size_t kMaxScratchBytes = std::size_t{64} << 20;
    // Default patch tile: half of this machine's 512 KiB L2, so patches and sgemm's
    // packed panels stay there together (256 KiB measured best of 256K-2M).
    static constexpr std::size_t kDefaultTileBytes = std::size_t{256} << 10;

    ConvWorkspace() = default;
    // max_tile_length caps the positions per tile (0 = automatic); tests force
    // tiny tiles to exercise tile boundaries.
    explicit ConvWorkspace(int64_t max_tile_length) { set_max_tile_length(max_tile_length); }

    void set_max_tile_length(int64_t positions);
    int64_t max_tile_length() const { return max_tile_length_; }
    void set_tile_bytes(std::size_t bytes);
    std::size_t tile_bytes() const { return tile_bytes_; }

    // From this many input channels per group, interior tiles skip im2col and
    // run one sgemm per tap on strided views of x (see docs/PERFORMANCE.md for
    // the measurement behind the default). A tuning knob for benchmarks.
    static constexpr int64_t kDefaultTapGemmMinChannels = 32;
    void set_tap_gemm_min_channels(int64_t channels) { tap_gemm_min_channels_ = channels; }
    int64_t tap_gemm_min_channels() const { return tap_gemm_min_channels_; }

    // Positions per tile when each position needs `floats_per_position` floats
    // of scratch; at least 1, at most `total_positions`. Throws
    // std::invalid_argument if even one position exceeds kMaxScratchBytes.
    int64_t tile_length(int64_t floats_per_position, int64_t total_positions) const;

    // Scratch views; contents are unspecified on entry. They grow on demand and
    // are kept for the next call. Packed weights are as large as the weights.
    std::span<float> patches(std::size_t count) { return grow(patches_, count); }
    std::span<float> packed_weights(std::size_t count) { return grow(packed_weights_, count); }

    std::size_t bytes_reserved() const { return (patches_.capacity() + packed_weights_.capacity()) * sizeof(float); }
    void release();  // returns the memory (e.g. after a one-off huge call)

private:
    static std::span<float> grow(std::vector<float>& buffer, std::size_t count);

    int64_t max_tile_length_ = 0;
    std::size_t tile_bytes_ = kDefaultTileBytes;
    int64_t tap_gemm_min_channels_ = kDefaultTapGemmMinChannels;
    std::vector<float> patches_;
    std::vector<float> packed_weights_;
};

}  // namespace convscope::kernels
