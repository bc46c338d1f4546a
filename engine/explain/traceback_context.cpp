#include "explain/traceback_context.hpp"

#include <vector>

namespace convscope::explain {

namespace {

// Keras 2 / TF: "Exception encountered when calling layer 'conv1d' (type Conv1D)."
// Keras 3: "Exception encountered when calling Conv1D.call()." The nearest one before
// the message (within a few kilobytes) is the layer that raised it.
void keras_header(const FlatText& flat, size_t at, ExplainedMessage& m) {
    constexpr std::string_view marker = "exception encountered when calling ";
    const std::string& low = flat.lower();
    const size_t from = at > 4000 ? at - 4000 : 0;
    const std::string_view region(low.data() + from, at - from);
    const size_t p = region.rfind(marker);
    if (p == std::string_view::npos) return;
    Cursor c(flat, from + p + marker.size());
    if (c.lit("layer")) {
        if (auto n = c.name()) m.layer_name = *n;
        if (c.lit("(type") && m.layer_type.empty())
            if (auto type = c.name()) m.layer_type = *type;
    } else if (auto n = c.name()) {
        const std::string cls = n->substr(0, n->find('.'));  // "Conv1D.call" -> "Conv1D"
        if (m.layer_type.empty()) m.layer_type = cls;
        if (cls != "Functional" && cls != "Sequential" && m.stack_types.empty()) m.stack_types = {cls};
    }
}

std::vector<std::string_view> split_lines(std::string_view raw, size_t max_lines) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= raw.size() && lines.size() < max_lines) {
        size_t end = raw.find('\n', start);
        if (end == std::string_view::npos) end = raw.size();
        lines.push_back(raw.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// The user's frame is the last "File ..." line above the error outside torch
// itself; its code line calls the module, e.g. "x = self.pool(torch.relu(self.conv1(x)))",
// with Python 3.11's carets under the call that failed.
void torch_module(std::string_view raw, int64_t error_line, ExplainedMessage& m) {
    const auto lines = split_lines(raw, static_cast<size_t>(error_line));
    std::string_view code, carets;
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        const std::string_view l = lines[i];
        const size_t f = l.find("File \"");
        if (f == std::string_view::npos) continue;
        if (l.find("/torch/") != std::string_view::npos) continue;
        code = lines[i + 1];
        carets = i + 2 < lines.size() && lines[i + 2].find('^') != std::string_view::npos ? lines[i + 2] : std::string_view();
    }
    if (code.empty()) return;
    std::string_view call = code;
    if (!carets.empty()) {
        const size_t b = carets.find('^'), e = carets.find_last_of('^');
        if (b < code.size()) call = code.substr(b, std::min(code.size(), e + 1) - b);
    }
    const size_t s = call.rfind("self.");
    if (s == std::string_view::npos) return;
    size_t e = s + 5;
    while (e < call.size() && (std::isalnum(static_cast<unsigned char>(call[e])) || call[e] == '_')) ++e;
    if (e < call.size() && call[e] == '(' && e > s + 5) m.layer_name = std::string(call.substr(s + 5, e - s - 5));
}

}  // namespace

void add_traceback_context(std::string_view raw, const FlatText& flat, size_t at, ExplainedMessage& m) {
    if (!m.layer_name.empty()) return;
    if (m.framework == Framework::Keras) keras_header(flat, at, m);
    else torch_module(raw, m.line, m);
}

}  // namespace convscope::explain
