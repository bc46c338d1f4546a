#include "diagnosis/trace_input.hpp"

#include <algorithm>
#include <charconv>

#include "common/limits.hpp"
#include "data/sequence_reading.hpp"
#include "layers/layer_support.hpp"

namespace convscope {

TraceInput trace_input_from_dataset(const data::Dataset& dataset, DataFormat format) {
    if (auto shape = dataset.array_shape()) return TraceInput::uniform(Shape(*shape));
    TraceInput input;
    const int64_t n = dataset.size();
    int64_t longest = 0;
    for (int64_t i = 0; i < n; ++i) {
        input.lengths.push_back(dataset.length(i));
        longest = std::max(longest, dataset.length(i));
    }
    input.shape = TensorType::sequence(format, n, longest, dataset.channels()).shape;
    input.length_axis = layer_support::length_axis(format);
    if (!input.ragged()) {
        input.lengths.clear();
        input.length_axis = -1;
    }
    return input;
}

std::optional<Shape> sequence_batch_shape(const Shape& stored, DataFormat format) {
    if (stored.rank() < 1 || stored.rank() > 2) return std::nullopt;
    for (auto d : stored.dims)
        if (d == kAnyDim) return std::nullopt;
    const auto reading = data::read_array_shape(stored.dims);
    return TensorType::sequence(format, reading.sequences, reading.steps, reading.channels).shape;
}

Result<TraceInput> trace_input_from_declared(const Stack& stack) {
    if (!stack.input_shape)
        return make_error("the stack declares no input_shape; give the data's shape (for example --input-shape 32,100,5) "
                          "or the data itself");
    Shape shape = *stack.input_shape;
    if (shape.rank() > 0 && shape[0] == kAnyDim) shape[0] = 1;
    for (int64_t i = 1; i < shape.rank(); ++i)
        if (shape[i] == kAnyDim)
            return make_error("field \"input_shape\": axis " + std::to_string(i) + " of " +
                              stack.input_shape->to_string() + " is open (null); give the data's shape or the data itself");
    return TraceInput::uniform(shape);
}

namespace {

// At most 40 characters of a shape entry, so a hostile argument cannot flood the message.
std::string quote_part(std::string_view part) {
    return part.size() <= 40 ? std::string(part) : std::string(part.substr(0, 40)) + "...";
}

}  // namespace

Result<Shape> parse_shape_list(std::string_view text) {
    Shape shape;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != ',') continue;
        std::string_view part = text.substr(start, i - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '(' || part.front() == '[')) part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == ')' || part.back() == ']')) part.remove_suffix(1);
        int64_t value = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        const bool integer = !part.empty() && ec != std::errc::invalid_argument && end == part.data() + part.size();
        if (!integer || ec != std::errc() || value < 1 || value > limits::kMaxDimension)
            return make_error("shape entry " + std::to_string(shape.rank() + 1) + " (\"" + quote_part(part) + "\") " +
                              (integer ? "is out of range" : "is not an integer") + ": expected an integer from 1 to " +
                              std::to_string(limits::kMaxDimension) +
                              " (ConvScope's limit for one axis), e.g. 32,100,5");
        shape.dims.push_back(value);
        start = i + 1;
    }
    if (shape.rank() < 1 || shape.rank() > 4) return make_error("expected 1 to 4 comma-separated sizes, e.g. 32,100,5");
    return shape;
}

}  // namespace convscope
