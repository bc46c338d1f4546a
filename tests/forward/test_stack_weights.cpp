// Weights: the seeded initialisers (determinism, independence per layer, the
// bounds of Keras' glorot_uniform and PyTorch's default), and .npz loading with
// PyTorch or Keras names against the outputs torch computed with the same
// tensors (tests/golden/forward/weights.json and *.npz, from make_forward_golden.py),
// including every error a wrong file should produce.
#include "forward_test_support.hpp"

#include <cmath>

using namespace convscope;
using namespace convscope::forward_test;
using nlohmann::json;

namespace {

Trace trace_of(const Stack& s, Shape in) { return trace_stack(s, TraceInput::uniform(std::move(in)), {false, false}); }

// One layer of each weighted type, channels_last, input (2, 16, 4).
Stack weighted_stack() {
    return make_stack("channels_last", json::parse(R"([
        {"type": "Conv1D", "name": "conv", "filters": 6, "kernel_size": 5, "groups": 2, "padding": "same"},
        {"type": "DepthwiseConv1D", "name": "dw", "kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        {"type": "SeparableConv1D", "name": "sep", "filters": 8, "kernel_size": 3, "depth_multiplier": 3},
        {"type": "Conv1DTranspose", "name": "ct", "filters": 10, "kernel_size": 4, "strides": 2},
        {"type": "BatchNormalization", "name": "bn"},
        {"type": "LayerNormalization", "name": "ln"},
        {"type": "Flatten", "name": "flat"},
        {"type": "Dense", "name": "fc", "units": 7}
    ])"));
}

double max_abs(const Tensor& t) {
    double m = 0;
    for (float v : t.data) m = std::max(m, std::abs(static_cast<double>(v)));
    return m;
}

// Keras' fans from the Keras kernel shape: receptive field = product of the leading
// axes, fan_in = shape[-2] * receptive, fan_out = shape[-1] * receptive.
std::pair<double, double> keras_fans(const Shape& k) {
    if (k.rank() == 2) return {double(k[0]), double(k[1])};
    double receptive = 1;
    for (int64_t i = 0; i + 2 < k.rank(); ++i) receptive *= double(k[i]);
    return {double(k[k.rank() - 2]) * receptive, double(k[k.rank() - 1]) * receptive};
}
// PyTorch's fan_in from the weight: size(1) * product of the kernel axes.
double torch_fan_in(const Shape& w) {
    double f = double(w[1]);
    for (int64_t i = 2; i < w.rank(); ++i) f *= double(w[i]);
    return f;
}

}  // namespace

class TestStackWeights : public QObject {
    Q_OBJECT

private slots:
    void same_seed_same_values() {
        const Stack s = weighted_stack();
        const Trace t = trace_of(s, Shape{2, 16, 4});
        QVERIFY(t.ok());
        for (auto scheme : {InitScheme::Keras, InitScheme::PyTorch}) {
            const auto a = initialise_weights(s, t, scheme, 42), b = initialise_weights(s, t, scheme, 42);
            const auto c = initialise_weights(s, t, scheme, 43);
            size_t with_weights = 0;
            for (const auto& [layer, tensors] : a.by_layer) with_weights += !tensors.empty();
            QCOMPARE(with_weights, size_t(7));  // conv dw sep ct bn ln fc
            for (const auto& [layer, tensors] : a.by_layer)
                for (const auto& [name, value] : tensors) {
                    QCOMPARE(value.data, b.by_layer.at(layer).at(name).data);
                    const bool drawn = std::any_of(value.data.begin(), value.data.end(),
                                                   [](float v) { return v != 0.0f && v != 1.0f; });
                    if (drawn) QVERIFY2(value.data != c.by_layer.at(layer).at(name).data, (layer + "." + name).c_str());
                }
        }
    }

    void layers_draw_independent_streams() {
        // Inserting a weighted layer before "conv2" (keeping its input shape) leaves
        // conv1's and conv2's weights unchanged: each stream is seeded by the layer name.
        const Stack a = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 3, "padding": "same"},
            {"type": "Conv1D", "name": "conv2", "filters": 5, "kernel_size": 3}])"));
        const Stack b = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 3, "padding": "same"},
            {"type": "Conv1D", "name": "inserted", "filters": 4, "kernel_size": 1},
            {"type": "Conv1D", "name": "conv2", "filters": 5, "kernel_size": 3}])"));
        const auto wa = initialise_weights(a, trace_of(a, Shape{1, 10, 2}), InitScheme::PyTorch, 7);
        const auto wb = initialise_weights(b, trace_of(b, Shape{1, 10, 2}), InitScheme::PyTorch, 7);
        QCOMPARE(wa.by_layer.at("conv1").at("weight").data, wb.by_layer.at("conv1").at("weight").data);
        QCOMPARE(wa.by_layer.at("conv2").at("weight").data, wb.by_layer.at("conv2").at("weight").data);
        QCOMPARE(wa.by_layer.at("conv2").at("bias").data, wb.by_layer.at("conv2").at("bias").data);
        // Two layers of identical shape under different names get different values.
        QVERIFY(wb.by_layer.at("inserted").at("weight").data.size() == 16);
        QVERIFY(wa.by_layer.at("conv1").at("weight").data != wa.by_layer.at("conv2").at("weight").data);
    }

    void a_trace_of_another_stack_is_not_trusted() {
        // The GUI may hand over the trace of the stack before an edit: weights must follow
        // the stack itself (this once read past the trace's steps and crashed).
        const Stack before = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 3}])"));
        const Stack after = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "conv1", "filters": 4, "kernel_size": 3},
            {"type": "Flatten", "name": "flat"},
            {"type": "Dense", "name": "fc", "units": 2}])"));
        const auto w = initialise_weights(after, trace_of(before, Shape{1, 10, 2}), InitScheme::Keras, 0);
        QCOMPARE(w.by_layer.at("fc").at("weight").shape, (Shape{2, 8 * 4}));
        QCOMPARE(w.by_layer.at("conv1").at("weight").shape, (Shape{4, 2, 3}));
    }

    void keras_glorot_bounds() {
        const Stack s = weighted_stack();
        const Trace t = trace_of(s, Shape{2, 16, 4});
        const auto w = initialise_weights(s, t, InitScheme::Keras, 3);
        const auto specs = weight_specs(s, t);
        for (const auto& [layer, list] : specs)
            for (const auto& spec : list) {
                const Tensor& v = w.by_layer.at(layer).at(spec.torch_name);
                QCOMPARE(v.shape, spec.torch_shape);
                const std::string what = layer + "." + spec.torch_name;
                if (spec.keras_name.find("kernel") != std::string::npos) {
                    const auto [fan_in, fan_out] = keras_fans(spec.keras_shape);
                    const double bound = std::sqrt(6.0 / (fan_in + fan_out));
                    QVERIFY2(max_abs(v) <= bound, (what + " exceeds glorot bound").c_str());
                    QVERIFY2(max_abs(v) >= 0.7 * bound, (what + " far inside glorot bound " + std::to_string(bound) +
                                                         ": " + std::to_string(max_abs(v))).c_str());
                } else if (spec.keras_name == "gamma" || spec.keras_name == "moving_variance") {
                    for (float x : v.data) QCOMPARE(x, 1.0f);
                } else {  // bias, beta, moving_mean: zeros
                    QVERIFY2(max_abs(v) == 0.0, what.c_str());
                }
            }
    }

    void pytorch_default_bounds() {
        const Stack s = weighted_stack();
        const Trace t = trace_of(s, Shape{2, 16, 4});
        const auto w = initialise_weights(s, t, InitScheme::PyTorch, 3);
        const auto specs = weight_specs(s, t);
        for (const auto& [layer, list] : specs) {
            double weight_fan_in = 0;
            for (const auto& spec : list) {
                const Tensor& v = w.by_layer.at(layer).at(spec.torch_name);
                const std::string what = layer + "." + spec.torch_name;
                if (spec.keras_name.find("kernel") != std::string::npos) {
                    // kaiming_uniform(a=sqrt(5)): bound = 1 / sqrt(fan_in)
                    weight_fan_in = torch_fan_in(spec.torch_shape);
                    const double bound = 1.0 / std::sqrt(weight_fan_in);
                    QVERIFY2(max_abs(v) <= bound, (what + " exceeds kaiming bound").c_str());
                    QVERIFY2(max_abs(v) >= 0.7 * bound, (what + " far inside kaiming bound").c_str());
                } else if (spec.torch_name == "bias" && layer != "bn" && layer != "ln") {
                    // Conv/Linear bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with the weight's fan_in.
                    QVERIFY(weight_fan_in > 0);
                    QVERIFY2(max_abs(v) <= 1.0 / std::sqrt(weight_fan_in), what.c_str());
                    QVERIFY2(max_abs(v) > 0.0, what.c_str());
                } else if (spec.torch_name == "weight" || spec.torch_name == "running_var") {
                    for (float x : v.data) QCOMPARE(x, 1.0f);
                } else {
                    QVERIFY2(max_abs(v) == 0.0, what.c_str());
                }
            }
        }
    }

    void loads_npz_like_pytorch_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("naming");
        const json cases = read_json(kGoldenDir + "weights.json").at("cases");
        for (size_t i = 0; i < cases.size(); ++i)
            for (const char* naming : {"torch", "keras"})
                QTest::newRow((cases[i]["name"].get<std::string>() + "_" + naming).c_str())
                    << int(i) << QString(naming);
    }
    void loads_npz_like_pytorch() {
        QFETCH(int, index);
        QFETCH(QString, naming);
        const json c = read_json(kGoldenDir + "weights.json").at("cases")[size_t(index)];
        const Stack stack = stack_from(c["stack"]);
        const Tensor input = tensor_from_json(c["input"]);
        const Trace trace = trace_of(stack, input.shape);
        const std::string file = c["npz_" + naming.toStdString()].get<std::string>();
        auto w = load_weights_npz(kGoldenDir + file, stack, trace);
        QVERIFY2(w.ok(), w ? "" : w.error().message.c_str());
        QVERIFY(w->origin.find(naming == "keras" ? "Keras names" : "PyTorch") != std::string::npos);
        auto result = run_forward(stack, input, *w);
        QVERIFY2(result.ok(), result ? "" : result.error().message.c_str());
        const Tensor expected = tensor_from_json(c["output"]);
        QCOMPARE(result->outputs.back().value.shape, expected.shape);
        QVERIFY(relative_error(result->outputs.back().value, expected) <= 1e-4);
    }

    void keras_and_torch_files_give_the_same_tensors() {
        const json cases = read_json(kGoldenDir + "weights.json").at("cases");
        for (const auto& c : cases) {
            const Stack stack = stack_from(c["stack"]);
            const Trace trace = trace_of(stack, Shape(c["input"]["shape"].get<std::vector<int64_t>>()));
            auto a = load_weights_npz(kGoldenDir + c["npz_torch"].get<std::string>(), stack, trace);
            auto b = load_weights_npz(kGoldenDir + c["npz_keras"].get<std::string>(), stack, trace);
            QVERIFY(a && b);
            QCOMPARE(a->by_layer.size(), b->by_layer.size());
            for (const auto& [layer, tensors] : a->by_layer)
                for (const auto& [name, t] : tensors) {
                    QCOMPARE(b->by_layer.at(layer).at(name).shape, t.shape);
                    QCOMPARE(b->by_layer.at(layer).at(name).data, t.data);
                }
        }
    }

    void npz_errors_name_layer_key_and_shapes() {
        const json c = read_json(kGoldenDir + "weights.json").at("cases");
        json stack_case;
        for (const auto& k : c)
            if (k["name"] == "weights_stack") stack_case = k;
        QVERIFY(!stack_case.is_null());
        const Stack stack = stack_from(stack_case["stack"]);
        const Trace trace = trace_of(stack, Shape(stack_case["input"]["shape"].get<std::vector<int64_t>>()));
        auto message = [&](const char* file) {
            auto r = load_weights_npz(kGoldenDir + file, stack, trace);
            return r ? std::string("(loaded)") : r.error().message;
        };
        auto contains = [](const std::string& m, const std::string& part) {
            if (m.find(part) != std::string::npos) return true;
            qWarning("\"%s\" not in: %s", part.c_str(), m.c_str());
            return false;
        };
        const std::string missing = message("error_missing.npz");
        QVERIFY(contains(missing, "layer \"dw\""));
        QVERIFY(contains(missing, "missing"));
        QVERIFY(contains(missing, "\"dw.bias\""));
        QVERIFY(contains(missing, "(8,)"));  // conv1's 4 channels x depth_multiplier 2
        const std::string extra = message("error_extra.npz");
        QVERIFY(contains(extra, "\"fc.scale\""));
        QVERIFY(contains(extra, "layer \"fc\" has no such weight"));
        const std::string unknown = message("error_unknown_layer.npz");
        QVERIFY(contains(unknown, "\"conv9.weight\""));
        QVERIFY(contains(unknown, "no enabled layer is named \"conv9\""));
        const std::string shape = message("error_shape.npz");
        QVERIFY(contains(shape, "layer \"conv1\""));
        QVERIFY(contains(shape, "\"conv1.weight\""));
        QVERIFY(contains(shape, "has shape (3, 3, 4)"));
        QVERIFY(contains(shape, "expected (4, 3, 3)"));
        const std::string mixed = message("error_mixed.npz");
        QVERIFY(contains(mixed, "mixes Keras names"));
        QVERIFY(contains(message("no_such_file.npz"), "no_such_file.npz"));
    }

    // A BatchNorm1d state_dict carries num_batches_tracked; inference ignores it.
    void torch_batchnorm_counter_is_accepted() {
        const json cases = read_json(kGoldenDir + "weights.json").at("cases");
        for (const auto& c : cases)
            if (c["name"] == "weights_batchnorm") {
                const Stack stack = stack_from(c["stack"]);
                const Trace trace = trace_of(stack, Shape(c["input"]["shape"].get<std::vector<int64_t>>()));
                auto w = load_weights_npz(kGoldenDir + c["npz_torch"].get<std::string>(), stack, trace);
                QVERIFY2(w.ok(), w ? "" : w.error().message.c_str());
                QCOMPARE(w->by_layer.at("bn").size(), size_t(4));
                return;
            }
        QFAIL("no batchnorm case");
    }
};

QTEST_GUILESS_MAIN(TestStackWeights)
#include "test_stack_weights.moc"
