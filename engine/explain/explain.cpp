#include "explain/explain.hpp"

#include <algorithm>
#include <set>

#include "explain/recognisers.hpp"
#include "explain/traceback_context.hpp"

namespace convscope::explain {

std::string_view to_string(Framework f) { return f == Framework::PyTorch ? "PyTorch" : "Keras/TensorFlow"; }
DataFormat native_format(Framework f) { return f == Framework::PyTorch ? DataFormat::ChannelsFirst : DataFormat::ChannelsLast; }

std::string num(int64_t v) { return v == kAnyDim ? std::string("None") : std::to_string(v); }
int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : a / b; }
int64_t known_product(const Shape& s) {
    int64_t p = 1;
    for (int64_t d : s.dims)
        if (d > 0 && p <= (int64_t{1} << 62) / d) p *= d;
    return p;
}
std::string product_text(const Shape& s) {
    std::string out;
    for (size_t i = 0; i < s.dims.size(); ++i) out += (i ? " × " : "") + num(s.dims[i]);
    return out.empty() ? "1" : out;
}

namespace {

// A traceback holds one or two shape errors; a log of thousands is summarised by its first ones.
constexpr size_t kMaxMessages = 32;

// Keras' InputSpec messages open with 'Input 0 of layer "conv1d" is incompatible with
// the layer:' before the part a reader matches; show the message from there.
size_t message_start(const FlatText& flat, size_t at) {
    constexpr std::string_view lead = "is incompatible with the layer:";
    const std::string& low = flat.lower();
    const size_t from = at > 300 ? at - 300 : 0;
    const std::string_view region(low.data() + from, at - from);
    const size_t p = region.rfind(lead);
    if (p == std::string_view::npos || region.substr(p + lead.size()).find_first_not_of(' ') != std::string_view::npos) return at;
    const size_t input = region.rfind("input ", p);
    return input == std::string_view::npos ? at : from + input;
}

bool same_reading(const ExplainedMessage& a, const ExplainedMessage& b) {
    return a.kind == b.kind && a.expected == b.expected && a.actual == b.actual && a.shapes == b.shapes;
}

}  // namespace

Result<Explanation> explain_text(std::string_view text) {
    if (text.size() > kMaxExplainBytes)
        return make_error("the pasted text is " + std::to_string(text.size()) + " bytes; explain reads at most " +
                          std::to_string(kMaxExplainBytes) + " bytes (1 MiB): paste the traceback, not the whole log");
    const FlatText flat(text);
    struct Hit {
        size_t at;
        ExplainedMessage m;
    };
    std::vector<Hit> hits;
    for (auto table : {torch_recognisers(), keras_recognisers()})
        for (const Recogniser& r : table)
            for (size_t at : find_all(flat, r.anchor)) {
                auto reading = r.read(flat, at);
                if (!reading) continue;
                ExplainedMessage m = std::move(reading->message);
                m.kind = std::string(r.kind);
                m.framework = r.framework;
                const size_t start = message_start(flat, at);
                m.line = flat.line_at(start);
                m.message = flat.text().substr(start, std::min<size_t>(reading->end - start, 600));
                hits.push_back({at, std::move(m)});
            }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.at < b.at; });
    Explanation out;
    for (auto& h : hits) {
        if (out.messages.size() >= kMaxMessages) break;
        // Tracebacks repeat a message (TF's "in user code" and the final line, chained
        // exceptions quoting it); one reading of it is enough.
        if (std::any_of(out.messages.begin(), out.messages.end(), [&](const auto& m) { return same_reading(m, h.m); })) continue;
        add_traceback_context(text, flat, h.at, h.m);
        out.messages.push_back(std::move(h.m));
    }
    return out;
}

std::vector<std::string> recognised_kinds() {
    std::vector<std::string> out;
    for (auto table : {torch_recognisers(), keras_recognisers()})
        for (const Recogniser& r : table) out.push_back(std::string(to_string(r.framework)) + ": " + std::string(r.looks_for));
    return out;
}

}  // namespace convscope::explain
