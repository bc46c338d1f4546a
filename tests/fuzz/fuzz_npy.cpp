// libFuzzer target: the .npy header parser and element conversion.
#include <cmath>

#include "data/npy_array.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    auto a = data::NpyArray::from_bytes(fuzz::to_bytes(data, size), "fuzz.npy");
    if (!a) return 0;
    std::vector<float> buf(static_cast<size_t>(std::min<int64_t>(a->size(), 4096)));
    a->read_range(0, buf);
    a->read_range(a->size() - 1, std::span<float>(buf.data(), buf.empty() ? 0 : 1));
    (void)a->value(a->size());  // out of range: NaN, never a read
    fuzz::exercise(data::Dataset::from_array(*a));
    return 0;
}
