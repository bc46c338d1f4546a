// libFuzzer target: the Keras model.to_json() importer: Sequential and Functional
// layouts, inbound_nodes walking, every layer config reader. An imported stack
// must itself be a valid ConvScope stack.
#include <string_view>

#include "interop/keras_json_import.hpp"
#include "interop/stack_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace convscope;
    auto stack = import_keras_model_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz_model.json");
    if (!stack) {
        if (stack.error().message.size() > 4096) __builtin_trap();  // messages quote excerpts, never whole values
        return 0;
    }
    if (!parse_stack_json(stack_to_json_text(*stack), "imported.convscope.json")) __builtin_trap();
    return 0;
}
