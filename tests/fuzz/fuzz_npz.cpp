// libFuzzer target: .npz archives through libzip, then the member's .npy.
#include "data/npz_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    const auto bytes = fuzz::to_bytes(data, size);
    (void)data::list_npz_bytes(bytes, "fuzz.npz");
    auto a = data::read_npz_array_bytes(bytes, "fuzz.npz");
    if (a) fuzz::exercise(data::Dataset::from_array(std::move(*a), "npz"));
    return 0;
}
