#include "catalogue_command.hpp"

#include "layers/layer_kind.hpp"

namespace convscope::cli {

namespace {

std::string kind_text(const ParamInfo& p) {
    switch (p.kind) {
        case ParamKind::Int: return "integer >= " + std::to_string(static_cast<int64_t>(p.min_value));
        case ParamKind::OptionalInt: return "integer or null";
        case ParamKind::Float: return "number";
        case ParamKind::Bool: return "true/false";
        case ParamKind::IntList: return "list of integers";
        case ParamKind::Pair: return "integer or [left, right]";
        case ParamKind::Choice:
        case ParamKind::Padding: {
            std::string s;
            for (const auto& c : p.choices) s += (s.empty() ? "" : ", ") + ("`" + c + "`");
            return p.kind == ParamKind::Padding ? s + ", an integer or [left, right]" : s;
        }
    }
    return "";
}

void print_markdown(std::ostream& out) {
    for (const auto* kind : layer_catalogue()) {
        out << "### " << kind->type() << "\n\n" << kind->summary() << "\n\n";
        if (kind->params().empty()) {
            out << "No parameters.\n\n";
            continue;
        }
        out << "| parameter | accepts | default | meaning |\n| --- | --- | --- | --- |\n";
        for (const auto& p : kind->params())
            out << "| `" << p.name << "` | " << kind_text(p) << " | "
                << (p.required ? "required" : "`" + p.default_value.dump() + "`") << " | " << p.help << " |\n";
        out << "\n";
    }
}

}  // namespace

int run_layers_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    bool markdown = false;
    for (const auto& a : args) {
        if (a == "--markdown") markdown = true;
        else if (a == "--help" || a == "-h") {
            out << "Usage: convscope-cli layers [--markdown]\n\nLists every layer type a stack may use, with its "
                   "parameters, what each accepts, its default and what it means.\n";
            return 0;
        } else {
            err << "convscope-cli layers: unknown argument " << a << "\n";
            return 2;
        }
    }
    if (markdown) {
        print_markdown(out);
        return 0;
    }
    for (const auto* kind : layer_catalogue()) {
        out << kind->type() << ": " << kind->summary() << "\n";
        for (const auto& p : kind->params())
            out << "    " << p.name << " (" << kind_text(p) << ", "
                << (p.required ? "required" : "default " + p.default_value.dump()) << ")\n";
    }
    return 0;
}

}  // namespace convscope::cli
