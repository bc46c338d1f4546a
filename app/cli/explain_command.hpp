// `convscope-cli explain`: a pasted PyTorch / Keras / TensorFlow error explained,
// optionally against a stack whose trace then supplies verified fixes.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace convscope::cli {

// args exclude the program and subcommand names. Exit status: 0 recognised,
// 1 not recognised, 2 bad usage or an unreadable file. `in` is read for "-".
int run_explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, std::istream& in);
int run_explain_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace convscope::cli
