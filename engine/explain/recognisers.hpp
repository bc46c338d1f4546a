// The table of message readers, one per kind of framework message. Each reads
// forward from where its anchor phrase starts; explain.cpp runs them all.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "explain/explain.hpp"
#include "explain/text_scan.hpp"

namespace convscope::explain {

struct Reading {
    ExplainedMessage message;  // kind, framework, line and message text are filled in by the caller
    size_t end = 0;            // flat offset just past the message
};

struct Recogniser {
    std::string_view kind;
    Framework framework;
    std::string_view anchor;     // lower case, single spaces: where the message starts
    std::string_view looks_for;  // the wording, for the "not recognised" answer
    std::optional<Reading> (*read)(const FlatText& text, size_t at);
};

std::span<const Recogniser> torch_recognisers();
std::span<const Recogniser> keras_recognisers();

// The ConvScope layer types a message about a convolution or a pooling can belong to.
inline const std::vector<std::string> kConvTypes{"Conv1D", "SeparableConv1D", "DepthwiseConv1D"};
inline const std::vector<std::string> kConvTransposeTypes{"Conv1DTranspose"};
inline const std::vector<std::string> kPoolTypes{"MaxPooling1D", "AveragePooling1D"};

// Shared wording helpers.
std::string num(int64_t v);
int64_t ceil_div(int64_t a, int64_t b);  // b > 0
int64_t known_product(const Shape& s);   // product of the known dims (1 for none)
std::string product_text(const Shape& s);  // "16 × 100"

}  // namespace convscope::explain
