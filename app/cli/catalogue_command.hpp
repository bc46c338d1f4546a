// `convscope-cli layers`: the layer catalogue with every parameter, its default and meaning.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

int run_layers_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
