// A validated stack for the diagnosis suites, built inline.
#pragma once

#include <QtGlobal>

#include <optional>
#include <vector>

#include "layers/stack.hpp"

inline convscope::Stack make_stack(convscope::DataFormat f, std::optional<convscope::Shape> input_shape,
                                   std::vector<convscope::LayerSpec> layers) {
    convscope::Stack s;
    s.data_format = f;
    s.input_shape = std::move(input_shape);
    s.layers = std::move(layers);
    if (auto st = convscope::validate_stack(s); !st) qFatal("bad test stack: %s", st.error().message.c_str());
    return s;
}
