// `convscope-cli export` (a stack as PyTorch code, Keras code or JSON) and
// `convscope-cli import` (a Keras model.to_json() file as a stack).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

int run_export_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_import_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
