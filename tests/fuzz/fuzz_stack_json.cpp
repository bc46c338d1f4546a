// libFuzzer target: the layer-stack format (*.convscope.json): JSON syntax, the
// nesting limit, every field and parameter check; a stack that parses is written
// back and read again, which must give the same stack.
#include <string_view>

#include "interop/stack_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto stack = parse_stack_json(text, "fuzz.convscope.json");
    if (!stack) {
        if (stack.error().message.size() > 4096) __builtin_trap();  // messages quote excerpts, never whole values
        return 0;
    }
    auto again = parse_stack_json(stack_to_json_text(*stack), "again.convscope.json");
    if (!again || stack_to_json_text(*again) != stack_to_json_text(*stack)) __builtin_trap();
    return 0;
}
