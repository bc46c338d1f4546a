// libFuzzer target: UCR .tsv detection and parsing.
#include <string_view>

#include "data/ucr_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)data::looks_like_ucr(text, "fuzz.tsv");
    auto d = data::read_ucr_text(text, "fuzz.tsv");
    if (d) fuzz::exercise(*d);
    return 0;
}
