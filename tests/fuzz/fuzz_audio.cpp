// libFuzzer target: audio through libsndfile's virtual I/O.
#include "data/audio_reader.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    auto d = data::read_audio_bytes(fuzz::to_bytes(data, size), "fuzz.wav");
    if (d) fuzz::exercise(*d);
    return 0;
}
