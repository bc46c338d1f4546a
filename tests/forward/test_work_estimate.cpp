// The cost of a run before it runs: bytes and multiply-adds per layer from the
// trace's shapes, exact for convolutions, checked against 64-bit overflow.
#include <QtTest>

#include "common/memory_budget.hpp"
#include "forward/work_estimate.hpp"
#include "interop/stack_json.hpp"

using namespace convscope;

namespace {
Stack stack_of(const std::string& layers) {
    auto s = parse_stack_json(R"({"data_format": "channels_last", "layers": [)" + layers + "]}", "test");
    if (!s) qFatal("%s", s.error().message.c_str());
    return *s;
}
}  // namespace

class TestWorkEstimate : public QObject {
    Q_OBJECT
private slots:
    void conv_and_dense_multiply_adds_are_exact() {
        // Conv1D: L_out x C_out x C_in x k (+ bias); Dense per step: L x units x features.
        const Stack s = stack_of(R"({"type": "Conv1D", "name": "c", "filters": 8, "kernel_size": 5},
                                    {"type": "Dense", "name": "d", "units": 3})");
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{2, 100, 4}), {false, false});
        QVERIFY(t.ok());
        auto w = estimate_work(s, t);
        QVERIFY(w.ok());
        QCOMPARE(w->layers.size(), size_t(2));
        QCOMPARE(w->layers[0].output_bytes, uint64_t(2 * 96 * 8 * 4));
        QCOMPARE(w->layers[0].weight_bytes, uint64_t((8 * 4 * 5 + 8) * 4));
        QCOMPARE(w->layers[0].macs, uint64_t(2) * 96 * (8 * 4 * 5 + 8));  // L_out x params, bias counted
        QCOMPARE(w->layers[1].macs, uint64_t(2) * 96 * (3 * 8 + 3));
        QCOMPARE(w->input_bytes, uint64_t(2 * 100 * 4 * 4));
        QCOMPARE(w->final_output_bytes, uint64_t(2 * 96 * 3 * 4));
        QVERIFY(w->peak_bytes_layer_by_layer >= w->input_bytes + w->layers[0].output_bytes + w->layers[1].output_bytes);
        QCOMPARE(w->largest_output()->name, std::string("c"));
        QCOMPARE(w->most_macs()->name, std::string("c"));
    }

    void a_million_tap_kernel_over_ten_million_steps_is_nine_trillion() {
        const Stack s = stack_of(R"({"type": "Conv1D", "name": "long", "filters": 1, "kernel_size": 1000000, "use_bias": false})");
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{1, 10000000, 1}), {false, false});
        QVERIFY(t.ok());
        auto w = estimate_work(s, t);
        QVERIFY(w.ok());
        QCOMPARE(w->total_macs, uint64_t(9000001) * 1000000);  // L_out = L - k + 1
        QCOMPARE(mac_count_text(w->total_macs), std::string("9.0e+12"));
        // Chunks of about 5e8 multiply-adds, rounded up to a multiple of 64 steps.
        QCOMPARE(chunk_steps_for(*w, 9000001), int64_t(512));  // 5e8 / 1e6 per step = 500, rounded up
    }

    void sizes_beyond_64_bits_are_an_error_naming_the_layer() {
        // Every tensor and the parameter count stay within the trace's limits
        // (2^59 input values, about 1e17 output values, 5.4e16 weights), but the
        // multiply-adds (input values x units, about 5.8e25) do not fit 64 bits.
        const Stack s = stack_of(R"({"type": "Dense", "name": "wide", "units": 100000000})");
        const Trace t = trace_stack(s, TraceInput::uniform(Shape{32768, 32768, int64_t{1} << 29}), {false, false});
        QVERIFY(t.ok());
        auto w = estimate_work(s, t);
        QVERIFY(!w.ok());
        QVERIFY2(w.error().message.find("layer \"wide\"") != std::string::npos, w.error().message.c_str());
        QVERIFY2(w.error().message.find("overflows 64 bits") != std::string::npos, w.error().message.c_str());
    }

    void memory_budget_reads_the_machine_and_names_sizes() {
        auto available = available_memory_bytes();
        QVERIFY(available.has_value());  // Linux: /proc/meminfo
        QVERIFY(*available > 0);
        QCOMPARE(byte_size_text(7516192768ULL), std::string("7.00 GB"));
        QCOMPARE(byte_size_text(512), std::string("512 bytes"));
        QCOMPARE(parse_byte_size("16G"), std::optional<uint64_t>(16ULL << 30));
        QCOMPARE(parse_byte_size("1.5GB"), std::optional<uint64_t>(3ULL << 29));
        QCOMPARE(parse_byte_size("12x"), std::optional<uint64_t>());
        const auto st = check_fits_in_memory(8ULL << 30, "the batch", MemoryBudget{1ULL << 30, true}, "use less");
        QVERIFY(!st.ok());
        QCOMPARE(st.error().message, std::string("the batch needs about 8.00 GB, but the limit set is 1.00 GB; use less"));
        QVERIFY(check_fits_in_memory(1, "x", std::nullopt, "").ok());
        QCOMPARE(checked_mul(uint64_t{1} << 32, uint64_t{1} << 32), std::optional<uint64_t>());
    }
};

QTEST_GUILESS_MAIN(TestWorkEstimate)
#include "test_work_estimate.moc"
