// libFuzzer target: sktime/UEA .ts headers and cases.
#include <string_view>

#include "data/ts_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    auto d = data::read_ts_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.ts");
    if (d) fuzz::exercise(*d);
    return 0;
}
