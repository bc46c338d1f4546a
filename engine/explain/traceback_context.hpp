// What the traceback around a message says about the failing layer: Keras'
// "Exception encountered when calling layer 'conv1d'" header, or the PyTorch
// module attribute (self.conv1) on the user's frame above the error.
#pragma once

#include <string_view>

#include "explain/explain.hpp"
#include "explain/text_scan.hpp"

namespace convscope::explain {

// Fills m.layer_name (and layer_type where the header names the class) when the
// message itself did not name the layer.
void add_traceback_context(std::string_view raw, const FlatText& flat, size_t at, ExplainedMessage& m);

}  // namespace convscope::explain
