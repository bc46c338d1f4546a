// run_forward against PyTorch: every case in tests/golden/forward/layers.json
// (written by tests/golden/make_forward_golden.py) runs with the weights given
// there and must match torch's output shape and values to 1e-4 relative error.
#include "forward_test_support.hpp"

using namespace convscope;
using namespace convscope::forward_test;
using nlohmann::json;

class TestForwardGolden : public QObject {
    Q_OBJECT
    json cases_;

private slots:
    void initTestCase() {
        cases_ = read_json(kGoldenDir + "layers.json").at("cases");
        QVERIFY(cases_.size() > 300);
    }

    void matches_pytorch_data() {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < cases_.size(); ++i)
            QTest::newRow(cases_[i]["name"].get<std::string>().c_str()) << static_cast<int>(i);
    }
    void matches_pytorch() {
        QFETCH(int, index);
        const json& c = cases_[static_cast<size_t>(index)];
        const Stack stack = stack_from(c["stack"]);
        const Tensor input = tensor_from_json(c["input"]);
        StackWeights weights;
        for (const auto& [key, value] : c["weights"].items()) {
            const auto dot = key.find('.');
            weights.by_layer[key.substr(0, dot)][key.substr(dot + 1)] = tensor_from_json(value);
        }
        auto result = run_forward(stack, input, weights);
        QVERIFY2(result.ok(), result ? "" : result.error().message.c_str());
        QVERIFY2(result->trace.ok(), result->trace.ok() ? "" : result->trace.error()->explanation.c_str());
        QCOMPARE(result->outputs.size(), c["stack"]["layers"].size());
        const Tensor expected = tensor_from_json(c["output"]);
        const Tensor& got = result->outputs.back().value;
        QCOMPARE(got.shape.to_string(), expected.shape.to_string());
        // The trace's shape for the last layer agrees with what was computed.
        QCOMPARE(result->trace.steps.back().out->shape.to_string(), expected.shape.to_string());
        const double err = relative_error(got, expected);
        if (err > 1e-4) {
            std::string where;
            for (size_t i = 0; i < got.data.size() && where.empty(); ++i)
                if (std::abs(got.data[i] - expected.data[i]) > 1e-4f * std::max(1.0f, std::abs(expected.data[i])))
                    where = "; first at flat index " + std::to_string(i) + ": " + std::to_string(got.data[i]) +
                            " vs torch " + std::to_string(expected.data[i]);
            QFAIL(("relative error " + std::to_string(err) + where).c_str());
        }
    }

    // Every layer type in the catalogue appears in at least one golden case.
    void every_layer_type_is_covered() {
        std::set<std::string> seen;
        for (const auto& c : cases_)
            for (const auto& l : c["stack"]["layers"]) seen.insert(l["type"].get<std::string>());
        for (const auto& t : layer_type_names()) QVERIFY2(seen.count(t), t.c_str());
    }
};

QTEST_GUILESS_MAIN(TestForwardGolden)
#include "test_forward_golden.moc"
