// The size limits ConvScope applies to everything a user or a file gives it,
// defined once so every check and every message states the same number.
// docs/LIMITS.md gives each value and the reason for it.
#pragma once

#include <cstdint>

namespace convscope::limits {

// One axis of a tensor (batch, length, channels, features): 2^40 = 1,099,511,627,776.
// A day sampled at 10 MHz is 8.6e11 steps; anything longer is a typo or a hostile file.
inline constexpr int64_t kMaxDimension = int64_t{1} << 40;
// Elements of one tensor, and parameters of one layer or stack: 2^60. Four bytes
// each is 2^62 bytes, so a float32 byte count still fits a signed 64-bit integer.
inline constexpr int64_t kMaxElements = int64_t{1} << 60;

// Layer parameters (the schema's upper bounds). Far beyond any real model, low
// enough that a value times a dimension is a number a person can still read.
inline constexpr int64_t kMaxKernelSize = 10'000'000;       // kernel_size, pool_size
inline constexpr int64_t kMaxStride = 10'000'000;           // strides
inline constexpr int64_t kMaxDilation = 10'000'000;         // dilation_rate
inline constexpr int64_t kMaxChannels = 10'000'000;         // filters, in_channels, groups
inline constexpr int64_t kMaxUnits = 100'000'000;           // Dense units, num_features, normalized_shape
inline constexpr int64_t kMaxDepthMultiplier = 100'000;     // depth_multiplier
inline constexpr int64_t kMaxPadding = 10'000'000;          // padding, output_padding, ZeroPadding1D
inline constexpr int64_t kMaxUpsampling = 1'000'000;        // UpSampling1D size
inline constexpr int64_t kMaxListEntries = 8;               // Reshape target_shape, Permute dims

// Text data files (CSV, TSV, UCR, .ts) are read whole: 1 GiB, about 100 million
// numbers, is more than an inspector should hold in memory at once.
inline constexpr int64_t kMaxTextFileBytes = int64_t{1} << 30;
// Bytes at the start of a text data file checked for NUL bytes and invalid UTF-8.
inline constexpr int64_t kTextSniffBytes = 1024;

}  // namespace convscope::limits
