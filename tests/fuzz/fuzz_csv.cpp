// libFuzzer target: CSV/TSV delimiter and header detection, quoting, numbers.
#include <string_view>

#include "data/csv_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    auto d = data::read_csv_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    if (d) fuzz::exercise(*d);
    return 0;
}
