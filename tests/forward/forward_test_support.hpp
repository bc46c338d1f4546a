// Helpers shared by the forward-pass suites: golden JSON, stacks from inline
// JSON, tensors and their comparison.
#pragma once

#include <QtTest>

#include <cmath>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>
#include <string>

#include "forward/forward_pass.hpp"
#include "interop/stack_json.hpp"

namespace convscope::forward_test {

inline const std::string kGoldenDir = CONVSCOPE_SOURCE_DIR "/tests/golden/forward/";

inline nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) qFatal("cannot open %s", path.c_str());
    return nlohmann::json::parse(in);
}

inline Tensor tensor_from_json(const nlohmann::json& j) {
    return Tensor(Shape(j.at("shape").get<std::vector<int64_t>>()), j.at("data").get<std::vector<float>>());
}

// A stack from its JSON object; fails the test on a parse error.
inline Stack stack_from(const nlohmann::json& j) {
    auto s = stack_from_json(j, "<test>");
    if (!s) qFatal("bad stack: %s", s.error().message.c_str());
    return *s;
}

// {"data_format": fmt, "layers": layers} as a Stack.
inline Stack make_stack(const std::string& fmt, const nlohmann::json& layers) {
    return stack_from({{"format", "convscope-stack"}, {"version", 1}, {"name", "t"}, {"data_format", fmt},
                       {"input_shape", nullptr}, {"layers", layers}});
}

// Largest |a - b| / max(|b|, floor): relative error, with `floor` keeping values
// near zero from dominating (1e-2 of the largest expected magnitude).
inline double relative_error(const Tensor& a, const Tensor& b) {
    double top = 0;
    for (float v : b.data) top = std::max(top, std::abs(static_cast<double>(v)));
    const double floor = std::max(1e-2 * top, 1e-6);
    double worst = 0;
    for (size_t i = 0; i < a.data.size() && i < b.data.size(); ++i) {
        const double d = std::abs(static_cast<double>(a.data[i]) - b.data[i]);
        if (std::isnan(a.data[i]) != std::isnan(b.data[i])) return INFINITY;
        worst = std::max(worst, d / std::max(std::abs(static_cast<double>(b.data[i])), floor));
    }
    return worst;
}

inline Tensor random_tensor(Shape shape, uint32_t seed, float scale = 1.0f) {
    Tensor t(std::move(shape));
    uint32_t s = seed * 2654435761u + 1;
    for (auto& v : t.data) {
        s = s * 1664525u + 1013904223u;
        v = scale * (static_cast<float>(s >> 8) / 8388608.0f - 1.0f);
    }
    return t;
}

}  // namespace convscope::forward_test
