// Differential testing of shape inference: thousands of random stacks written by
// tests/golden/make_shape_diff_golden.py, judged by PyTorch 1.13 (channels_first)
// and by TensorFlow's closed-form lengths (channels_last). trace_stack must reach
// the same verdict on every one: the same output shape where the reference runs,
// a failure at the same layer where it raises. A forward sample checks run_forward's
// values against torch's with the same seeded weights.
//
// ConvScope is deliberately stricter than PyTorch 1.13 in two ways, and these are
// the only disagreements allowed (each is counted and checked to be of its kind):
//  - empty output: torch 1.13 silently returns a tensor with a length of 0 (e.g. a
//    crop that removes every step); ConvScope, like PyTorch 2, refuses it at that
//    layer as SequenceTooShort.
//  - unbatched input: torch reads a 2-D tensor fed to a sequence layer as one
//    (channels, length) sequence; ConvScope always reads axis 0 as the batch and
//    refuses the missing axis at that layer.
#include "../forward/forward_test_support.hpp"

#include "diagnosis/shape_trace.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

json read_cases() {
    return forward_test::read_json(CONVSCOPE_SOURCE_DIR "/tests/golden/shape_diff/cases.json");
}

// The stored layers (unnamed, to keep the file small) as a stack named l0, l1, ...
Stack stack_of(const json& layers, const char* format) {
    json named = json::array();
    for (size_t i = 0; i < layers.size(); ++i) {
        json l = layers[i];
        l["name"] = "l" + std::to_string(i);
        named.push_back(std::move(l));
    }
    return forward_test::make_stack(format, named);
}

// A verdict as text: "out (2, 3, 7)" or "err 2".
std::string verdict_of(const Trace& t) {
    if (t.ok()) return "out " + t.steps.back().out->shape.to_string();
    return "err " + std::to_string(t.steps[*t.failing_step].index);
}

std::string expected_verdict(const json& c) {
    if (c.contains("out")) return "out " + Shape(c["out"].get<std::vector<int64_t>>()).to_string();
    return "err " + std::to_string(c["err"].get<int64_t>());
}

std::string describe(const json& c, const std::string& got, const std::string& want) {
    return "input " + c["in"].dump() + " layers " + c["l"].dump() + ": ConvScope " + got + ", reference " + want;
}

}  // namespace

class TestShapeDiff : public QObject {
    Q_OBJECT
    json cases_;

private slots:
    void initTestCase() { cases_ = read_cases(); }

    void agrees_with_pytorch_channels_first() {
        const json& cases = cases_.at("cf");
        QVERIFY(cases.size() >= 3000);
        int agree = 0, empty_output = 0, unbatched = 0;
        std::vector<std::string> wrong;
        for (const json& c : cases) {
            const Trace t = trace_stack(stack_of(c["l"], "channels_first"),
                                        TraceInput::uniform(Shape(c["in"].get<std::vector<int64_t>>())),
                                        {false, false});
            const std::string got = verdict_of(t), want = expected_verdict(c);
            if (got == want) {
                ++agree;
                continue;
            }
            // A stricter rule of ConvScope's, at the layer where torch went on regardless.
            const int64_t zl = c.value("zl", int64_t{1} << 40), ub = c.value("ub", int64_t{1} << 40);
            const int64_t at = t.ok() ? -2 : t.steps[*t.failing_step].index;
            const MistakeKind kind = t.ok() ? MistakeKind::InvalidParameters : t.error()->kind;
            if (at == zl && zl < ub && kind == MistakeKind::SequenceTooShort) {
                ++empty_output;
            } else if (at == ub && ub <= zl && kind == MistakeKind::RankMismatch) {
                ++unbatched;
            } else {
                wrong.push_back(describe(c, got, want) + (t.ok() ? "" : " (" + t.error()->explanation + ")"));
            }
        }
        qInfo("channels_first: %d agree, %d empty outputs refused, %d unbatched inputs refused, %zu wrong", agree,
              empty_output, unbatched, wrong.size());
        for (size_t i = 0; i < wrong.size() && i < 25; ++i) qWarning("%s", wrong[i].c_str());
        QCOMPARE(wrong.size(), size_t{0});
        QCOMPARE(agree + empty_output + unbatched, static_cast<int>(cases.size()));
        QVERIFY(agree > 2500);  // the allowed disagreements stay the exception
        QVERIFY(empty_output > 0 && unbatched > 0);  // and the data does exercise both rules
    }

    void agrees_with_tensorflow_channels_last() {
        const json& cases = cases_.at("cl");
        QVERIFY(cases.size() >= 1000);
        std::vector<std::string> wrong;
        int ran = 0;
        for (const json& c : cases) {
            const Trace t = trace_stack(stack_of(c["l"], "channels_last"),
                                        TraceInput::uniform(Shape(c["in"].get<std::vector<int64_t>>())),
                                        {false, false});
            const std::string got = verdict_of(t), want = expected_verdict(c);
            ran += c.contains("out");
            if (got != want) wrong.push_back(describe(c, got, want));
        }
        qInfo("channels_last: %zu agree (%d run), %zu wrong", cases.size() - wrong.size(), ran, wrong.size());
        for (size_t i = 0; i < wrong.size() && i < 25; ++i) qWarning("%s", wrong[i].c_str());
        QCOMPARE(wrong.size(), size_t{0});
        QVERIFY(ran > 300);  // both verdicts are well represented
    }

    void forward_matches_pytorch() {
        const json& cases = cases_.at("fwd");
        QVERIFY(cases.size() >= 200);
        int n = 0;
        for (const json& c : cases) {
            const Stack stack = stack_of(c["l"], "channels_first");
            StackWeights weights;
            for (const auto& [key, value] : c["w"].items()) {
                const auto dot = key.find('.');
                weights.by_layer[key.substr(0, dot)][key.substr(dot + 1)] = forward_test::tensor_from_json(value);
            }
            auto result = run_forward(stack, forward_test::tensor_from_json(c["x"]), weights);
            const std::string where = "case " + std::to_string(n) + " " + c["l"].dump();
            QVERIFY2(result.ok(), (where + ": " + (result ? "" : result.error().message)).c_str());
            QVERIFY2(result->trace.ok(), where.c_str());
            const Tensor expected = forward_test::tensor_from_json(c["y"]);
            const Tensor& got = result->outputs.back().value;
            QCOMPARE(got.shape.to_string(), expected.shape.to_string());
            const double err = forward_test::relative_error(got, expected);
            QVERIFY2(err <= 1e-4, (where + ": relative error " + std::to_string(err)).c_str());
            ++n;
        }
    }
};

QTEST_GUILESS_MAIN(TestShapeDiff)
#include "test_shape_diff.moc"
