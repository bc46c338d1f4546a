// Keras' mask rules as run_forward applies them, contamination maps worked out
// by hand, and preview_padding's alignment of unpadded, padded and masked runs.
#include "forward_test_support.hpp"

#include "forward/padding_preview.hpp"

using namespace convscope;
using namespace convscope::forward_test;
using nlohmann::json;

namespace {

StepMask flags(std::vector<uint8_t> f) {
    StepMask m(1, static_cast<int64_t>(f.size()));
    m.flags = std::move(f);
    return m;
}

std::vector<uint8_t> row(const StepMask& m, int64_t b = 0) {
    return {m.flags.begin() + b * m.length, m.flags.begin() + (b + 1) * m.length};
}

// Runs `layers` on a (1, length, channels) channels_last input with the last
// `post` steps (or first `pre`) flagged as padding; weights initialised.
ForwardResult run_flagged(const std::string& fmt, const json& layers, int64_t length, int64_t channels, int64_t pre,
                          int64_t post) {
    const Stack s = make_stack(fmt, layers);
    const Shape shape = fmt == "channels_last" ? Shape{1, length, channels} : Shape{1, channels, length};
    const Trace t = trace_stack(s, TraceInput::uniform(shape), {false, false});
    if (!t.ok()) qFatal("trace fails: %s", t.error()->explanation.c_str());
    ForwardOptions o;
    StepMask pad(1, length);
    for (int64_t i = 0; i < pre; ++i) pad.at(0, i) = 1;
    for (int64_t i = length - post; i < length; ++i) pad.at(0, i) = 1;
    o.input_padding = pad;
    auto r = run_forward(s, random_tensor(shape, 5), initialise_weights(s, t, InitScheme::PyTorch, 1), o);
    if (!r) qFatal("%s", r.error().message.c_str());
    return std::move(*r);
}

// A (1, 8, 2) channels_last batch whose steps 5..7 are all zero (post-padding).
Tensor padded_batch() {
    Tensor x = random_tensor(Shape{1, 8, 2}, 9);
    for (int64_t t = 5; t < 8; ++t)
        for (int64_t c = 0; c < 2; ++c) x.at(0, t, c) = 0.0f;
    return x;
}

ForwardResult run_masked(const json& layers, const Tensor& x) {
    const Stack s = make_stack("channels_last", layers);
    const Trace t = trace_stack(s, TraceInput::uniform(x.shape), {false, false});
    auto r = run_forward(s, x, initialise_weights(s, t, InitScheme::Keras, 2));
    if (!r) qFatal("%s", r.error().message.c_str());
    return std::move(*r);
}

const std::vector<uint8_t> kReal{1, 1, 1, 1, 1, 0, 0, 0};

}  // namespace

class TestMasking : public QObject {
    Q_OBJECT

private slots:
    // ---- Keras' mask rules ----
    void masking_produces_and_zeroes_masked_steps() {
        Tensor x = padded_batch();
        x.at(0, 2, 0) = 0.0f;  // one zero channel does not mask a step; all of them do
        auto r = run_masked(json::parse(R"([{"type": "Masking", "name": "m"}])"), x);
        QVERIFY(r.outputs[0].mask.has_value());
        QCOMPARE(row(*r.outputs[0].mask), kReal);
        QCOMPARE(r.outputs[0].value.data, x.data);
        // The masked steps are what padding contaminates.
        QCOMPARE(row(r.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 1, 1, 1}));
    }

    void masking_uses_mask_value() {
        Tensor x = padded_batch();
        for (int64_t t = 5; t < 8; ++t) x.at(0, t, 0) = x.at(0, t, 1) = -1.0f;
        x.at(0, 0, 0) = x.at(0, 0, 1) = 0.0f;  // zeros are real steps when mask_value is -1
        auto r = run_masked(json::parse(R"([{"type": "Masking", "name": "m", "mask_value": -1}])"), x);
        QCOMPARE(row(*r.outputs[0].mask), kReal);
        // Keras multiplies masked steps by zero.
        QCOMPARE(r.outputs[0].value.at(0, 6, 1), 0.0f);
        QCOMPARE(r.outputs[0].value.at(0, 1, 1), x.at(0, 1, 1));
    }

    void per_step_layers_propagate() {
        auto r = run_masked(json::parse(R"([
            {"type": "Masking", "name": "m"},
            {"type": "Dropout", "name": "drop"},
            {"type": "Activation", "name": "act", "activation": "tanh"},
            {"type": "BatchNormalization", "name": "bn"},
            {"type": "LayerNormalization", "name": "ln"},
            {"type": "Dense", "name": "fc", "units": 3}])"), padded_batch());
        QCOMPARE(r.outputs.size(), size_t(6));
        for (const auto& o : r.outputs) {
            QVERIFY2(o.mask.has_value(), o.name.c_str());
            QCOMPARE(row(*o.mask), kReal);
        }
    }

    void permute_propagates() {
        // (1, 8, 8): Permute keeps the length, so the mask carries on as Keras passes it.
        Tensor x = random_tensor(Shape{1, 8, 8}, 4);
        for (int64_t t = 5; t < 8; ++t)
            for (int64_t c = 0; c < 8; ++c) x.at(0, t, c) = 0.0f;
        auto r = run_masked(json::parse(R"([{"type": "Masking", "name": "m"}, {"type": "Permute", "name": "p", "dims": [2, 1]}])"), x);
        QVERIFY(r.outputs[1].mask.has_value());
        QCOMPARE(row(*r.outputs[1].mask), kReal);
    }

    void global_average_pooling_consumes_and_averages_real_steps() {
        const Tensor x = padded_batch();
        auto r = run_masked(json::parse(R"([{"type": "Masking", "name": "m"}, {"type": "GlobalAveragePooling1D", "name": "gap"}])"), x);
        QVERIFY(!r.outputs[1].mask.has_value());
        for (int64_t c = 0; c < 2; ++c) {
            double sum = 0;
            for (int64_t t = 0; t < 5; ++t) sum += x.at(0, t, c);
            QCOMPARE(r.outputs[1].value.data[size_t(c)], float(sum / 5));
        }
        // Masked steps are skipped, so they do not contaminate the mean.
        QCOMPARE(row(r.outputs[1].contamination), (std::vector<uint8_t>{0}));
        // Without the mask, the zeros count: mean over all 8.
        auto plain = run_masked(json::parse(R"([{"type": "GlobalAveragePooling1D", "name": "gap"}])"), x);
        double sum = 0;
        for (int64_t t = 0; t < 8; ++t) sum += x.at(0, t, 0);
        QCOMPARE(plain.outputs[0].value.data[0], float(sum / 8));
    }

    void shape_changing_layers_drop() {
        for (const char* layer : {R"({"type": "Conv1D", "name": "x", "filters": 2, "kernel_size": 3, "padding": "same"})",
                                  R"({"type": "DepthwiseConv1D", "name": "x", "kernel_size": 1})",
                                  R"({"type": "MaxPooling1D", "name": "x", "pool_size": 1})",
                                  R"({"type": "AveragePooling1D", "name": "x", "pool_size": 2})",
                                  R"({"type": "GlobalMaxPooling1D", "name": "x"})",
                                  R"({"type": "ZeroPadding1D", "name": "x", "padding": 1})",
                                  R"({"type": "Cropping1D", "name": "x", "cropping": 1})",
                                  R"({"type": "UpSampling1D", "name": "x"})",
                                  R"({"type": "Reshape", "name": "x", "target_shape": [8, 2]})",
                                  R"({"type": "Flatten", "name": "x"})"}) {
            json layers = json::array({json::parse(R"({"type": "Masking", "name": "m"})"), json::parse(layer)});
            auto r = run_masked(layers, padded_batch());
            QVERIFY2(!r.outputs[1].mask.has_value(), layer);
            QVERIFY(r.outputs[0].mask.has_value());
        }
    }

    void input_mask_option_flows_like_a_mask() {
        const Stack s = make_stack("channels_last", json::parse(R"([
            {"type": "Activation", "name": "act", "activation": "relu"},
            {"type": "GlobalAveragePooling1D", "name": "gap"}])"));
        const Tensor x = random_tensor(Shape{1, 8, 2}, 3);
        ForwardOptions o;
        o.input_mask = flags(kReal);
        auto r = run_forward(s, x, {}, o);
        QVERIFY(r && r->ok());
        QCOMPARE(row(*r->outputs[0].mask), kReal);
        double sum = 0;
        for (int64_t t = 0; t < 5; ++t) sum += std::max(0.0f, x.at(0, t, 1));
        QCOMPARE(r->outputs[1].value.data[1], float(sum / 5));
        o.input_mask = StepMask(1, 7, 1);
        auto bad = run_forward(s, x, {}, o);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.find("mask") != std::string::npos);
    }

    // ---- Contamination maps, by hand ----
    void post_padding_through_valid_then_dilated_conv() {
        // 10 steps, the last 3 padding. k3 valid: output t reads t..t+2 -> flagged from t = 5.
        // k3 d2 valid on those 8: t reads t, t+2, t+4 -> any of 5, 6, 7 -> t = 1, 2, 3.
        auto r = run_flagged("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "a", "filters": 2, "kernel_size": 3},
            {"type": "Conv1D", "name": "b", "filters": 2, "kernel_size": 3, "dilation_rate": 2}])"), 10, 2, 0, 3);
        QCOMPARE(row(r.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 1, 1, 1}));
        QCOMPARE(row(r.outputs[1].contamination), (std::vector<uint8_t>{0, 1, 1, 1}));
    }

    void causal_conv_with_pre_and_post_padding() {
        const json causal = json::parse(R"([{"type": "Conv1D", "name": "c", "filters": 2, "kernel_size": 3, "padding": "causal"}])");
        // Pre-padding of 2: output t reads t-2..t, so t = 0..3 see a padded step.
        auto pre = run_flagged("channels_last", causal, 8, 1, 2, 0);
        QCOMPARE(row(pre.outputs[0].contamination), (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 0, 0}));
        // Post-padding of 2: nothing looks ahead, so only the padded steps themselves.
        auto post = run_flagged("channels_first", causal, 8, 1, 0, 2);
        QCOMPARE(row(post.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 1}));
        // 'same' k3 looks one step ahead: post-padding reaches one step further back.
        auto same = run_flagged("channels_last", json::parse(R"([{"type": "Conv1D", "name": "c", "filters": 2, "kernel_size": 3, "padding": "same"}])"), 8, 1, 0, 2);
        QCOMPARE(row(same.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 1, 1, 1}));
    }

    void strided_pooling() {
        // 9 steps, last 3 padding.
        auto two = run_flagged("channels_last", json::parse(R"([{"type": "MaxPooling1D", "name": "p", "pool_size": 2}])"), 9, 1, 0, 3);
        QCOMPARE(row(two.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 1}));  // [6,7] is the last window
        auto same = run_flagged("channels_last", json::parse(R"([{"type": "MaxPooling1D", "name": "p", "pool_size": 2, "padding": "same"}])"), 9, 1, 0, 3);
        QCOMPARE(row(same.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 1, 1}));  // [8, pad]
        auto three = run_flagged("channels_first", json::parse(R"([{"type": "AveragePooling1D", "name": "p", "pool_size": 3, "strides": 2}])"), 9, 1, 0, 3);
        QCOMPARE(row(three.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 1, 1}));  // [4..6] reaches 6
    }

    void length_layers_move_the_flags() {
        auto r = run_flagged("channels_last", json::parse(R"([
            {"type": "ZeroPadding1D", "name": "zp", "padding": [1, 2]},
            {"type": "Cropping1D", "name": "cr", "cropping": [2, 0]},
            {"type": "UpSampling1D", "name": "up", "size": 2},
            {"type": "Conv1DTranspose", "name": "ct", "filters": 1, "kernel_size": 2, "strides": 2}])"), 4, 1, 1, 0);
        // ZeroPadding1D's own zeros are layer arithmetic, not input padding: only step 0 moves (to 1).
        QCOMPARE(row(r.outputs[0].contamination), (std::vector<uint8_t>{0, 1, 0, 0, 0, 0, 0}));
        QCOMPARE(row(r.outputs[1].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0}));
        QCOMPARE(r.outputs[2].contamination.length, int64_t(10));
        QVERIFY(!r.outputs[2].contamination.any());
        auto up = run_flagged("channels_last", json::parse(R"([
            {"type": "UpSampling1D", "name": "up", "size": 2},
            {"type": "Conv1DTranspose", "name": "ct", "filters": 1, "kernel_size": 3, "strides": 2}])"), 3, 1, 0, 1);
        QCOMPARE(row(up.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 1, 1}));
        // Transposed: input i reaches outputs 2i .. 2i+2 (valid, k3 s2 -> 13 steps); 4 and 5 flagged.
        QCOMPARE(row(up.outputs[1].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}));
    }

    void whole_sequence_layers_spread_everywhere() {
        // Over PyTorch's (batch, channels, length), Dense, LayerNormalization and softmax read
        // the last axis, which is the length: one padded step reaches every output step.
        for (const char* layer : {R"({"type": "Dense", "name": "x", "units": 6})",
                                  R"({"type": "LayerNormalization", "name": "x"})",
                                  R"({"type": "Activation", "name": "x", "activation": "softmax"})",
                                  R"({"type": "Conv1D", "name": "x", "filters": 2, "kernel_size": 1, "activation": "softmax"})"}) {
            auto r = run_flagged("channels_first", json::array({json::parse(layer)}), 6, 2, 0, 1);
            QVERIFY2(r.outputs[0].contamination.count() == 6, layer);
            // Over Keras' (batch, length, channels) they act per step.
            auto k = run_flagged("channels_last", json::array({json::parse(layer)}), 6, 2, 0, 1);
            QCOMPARE(row(k.outputs[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 1}));
        }
        auto flat = run_flagged("channels_last", json::parse(R"([{"type": "Flatten", "name": "f"}, {"type": "Dense", "name": "d", "units": 2}])"), 6, 2, 0, 1);
        QCOMPARE(row(flat.outputs[1].contamination), (std::vector<uint8_t>{1}));
        auto clean = run_flagged("channels_last", json::parse(R"([{"type": "GlobalMaxPooling1D", "name": "g"}])"), 6, 2, 0, 0);
        QCOMPARE(row(clean.outputs[0].contamination), (std::vector<uint8_t>{0}));
    }

    void permute_spreads_across_steps() {
        // Inside the stack (a leading Permute only moves where the stack reads its steps, and
        // the padding map is over those steps: issue 9).
        auto r = run_flagged("channels_last", json::parse(R"([{"type": "Activation", "name": "a", "activation": "linear"},
                                                                 {"type": "Permute", "name": "p", "dims": [2, 1]}])"),
                             4, 4, 0, 1);
        // Each output "step" is now one channel across all input steps.
        QCOMPARE(r.outputs[1].contamination.count(), int64_t(4));
    }

    // ---- issue 9: padding and weights follow the stack as it is now ----
    // The transposition fix starts a channels_last stack with Permute((2, 1)): it reads the
    // stored (1, 5, 100) as 100 steps of 5 channels. The preview pads those 100 steps (to
    // 120), feeding them on stored axis 2, and the unpadded run fits the same weights.
    void preview_pads_the_length_the_permuted_stack_reads() {
        const Stack s = make_stack("channels_last", json::parse(R"([
            {"type": "Permute", "name": "swap", "dims": [2, 1]},
            {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 5, "padding": "same"}])"));
        data::Sequence seq;  // as the stack sees it: 100 steps x 5 channels
        seq.length = 100;
        seq.channels = 5;
        seq.values = random_tensor(Shape{100, 5}, 21).data;
        PaddingPreviewOptions o;
        o.maxlen = 120;
        o.padding = data::PadSide::Post;
        auto p = preview_padding(s, seq, o);
        QVERIFY2(p.ok(), p ? "" : p.error().message.c_str());
        QCOMPARE(p->pad_after, int64_t(20));
        QCOMPARE(p->layers.size(), size_t(2));
        // The Permute's output and conv1's: 120 steps on the length axis, 5 and 16 channels.
        QCOMPARE(p->layers[0].padded.shape, (Shape{1, 120, 5}));
        QCOMPARE(p->layers[1].padded.shape, (Shape{1, 120, 16}));
        QVERIFY(p->layers[1].unpadded.has_value());
        QCOMPARE(p->layers[1].unpadded->shape, (Shape{1, 100, 16}));
        // Steps far from the padding are the same in both runs.
        QCOMPARE(p->layers[1].diff_padded[10], 0.0f);
        QVERIFY(std::isnan(p->layers[1].diff_padded[110]));
    }

    // Weights made for the stack before an edit (conv1 read 100 channels, it now reads 5)
    // are refused with the layer, the weight and both sizes, not a kernel's internal check.
    void weights_for_old_shapes_are_refused_with_the_sizes() {
        const Stack before = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 5, "padding": "same"}])"));
        const Trace old_trace = trace_stack(before, TraceInput::uniform(Shape{1, 5, 100}), {false, false});
        QVERIFY(old_trace.ok());
        const StackWeights old_weights = initialise_weights(before, old_trace, InitScheme::Keras, 0);
        const Stack now = make_stack("channels_last", json::parse(R"([
            {"type": "Permute", "name": "swap", "dims": [2, 1]},
            {"type": "Conv1D", "name": "conv1", "filters": 16, "kernel_size": 5, "padding": "same"}])"));
        const Trace now_trace = trace_stack(now, TraceInput::uniform(Shape{1, 5, 100}), {false, false});
        QVERIFY(now_trace.ok());
        const Status fit = weights_fit(now, now_trace, old_weights);
        QVERIFY(!fit);
        const QString why = QString::fromStdString(fit.error().message);
        QVERIFY2(why.contains("conv1") && why.contains("8000") && why.contains("400") && why.contains("Rebuild"),
                 qPrintable(why));
        QVERIFY(weights_fit(now, now_trace, initialise_weights(now, now_trace, InitScheme::Keras, 0)));
        // run_forward and the preview say the same before any layer runs.
        auto run = run_forward(now, random_tensor(Shape{1, 5, 100}, 3), old_weights);
        QVERIFY(!run);
        QCOMPARE(QString::fromStdString(run.error().message), why);
        data::Sequence seq;
        seq.length = 100;
        seq.channels = 5;
        seq.values = random_tensor(Shape{100, 5}, 22).data;
        PaddingPreviewOptions o;
        o.maxlen = 100;
        auto p = preview_padding(now, seq, o, &old_weights);
        QVERIFY(!p);
        QCOMPARE(QString::fromStdString(p.error().message), why);
    }

    // ---- preview_padding ----
    void preview_post_padding_stride_one() {
        const Stack s = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "a", "filters": 3, "kernel_size": 3, "activation": "relu"},
            {"type": "Conv1D", "name": "b", "filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
            {"type": "Conv1D", "name": "c", "filters": 2, "kernel_size": 2, "padding": "causal"},
            {"type": "BatchNormalization", "name": "bn"}])"));
        data::Sequence seq;
        seq.length = 12;
        seq.channels = 2;
        seq.values = random_tensor(Shape{12, 2}, 11).data;
        PaddingPreviewOptions o;
        o.maxlen = 16;
        o.padding = data::PadSide::Post;
        auto p = preview_padding(s, seq, o);
        QVERIFY2(p.ok(), p ? "" : p.error().message.c_str());
        QCOMPARE(p->pad_before, int64_t(0));
        QCOMPARE(p->pad_after, int64_t(4));
        QCOMPARE(row(p->input_padding), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
        QCOMPARE(p->layers.size(), size_t(4));
        int64_t clean_steps = 0;
        for (const auto& l : p->layers) {
            QCOMPARE(l.offset, int64_t(0));
            QVERIFY(l.unpadded.has_value());
            const int64_t n = l.padded.shape[1], m = l.unpadded->shape[1];
            QCOMPARE(n, m + 4);
            for (int64_t t = 0; t < n; ++t) {
                const float d = l.diff_padded[size_t(t)];
                if (t >= m) {
                    QVERIFY(std::isnan(d));
                } else if (!l.contamination.at(0, t)) {
                    ++clean_steps;
                    // Exactly equal: the same arithmetic on the same inputs.
                    QVERIFY2(d == 0.0f, (l.name + " step " + std::to_string(t) + " differs by " + std::to_string(d)).c_str());
                }
            }
        }
        QVERIFY(clean_steps > 20);
        // 'a' (valid k3) loses 2 steps: 14 outputs, the last 4 read padding from t = 10.
        QCOMPARE(row(p->layers[0].contamination), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}));
        // and the padded steps do change those outputs ('same' reads zeros either way at the end,
        // but 'a' at step 10 reads real step 12 in neither run: the unpadded run has no step 10).
        QVERIFY(std::isnan(p->layers[0].diff_padded[12]));
    }

    // Wide layers run through sgemm, whose rounding can depend on the call's size: check
    // whether the clean steps still match exactly on a padded length that changes it.
    void preview_wide_layers() {
        const Stack s = make_stack("channels_last", json::parse(R"([
            {"type": "Conv1D", "name": "a", "filters": 32, "kernel_size": 9, "padding": "same", "activation": "relu"},
            {"type": "Conv1D", "name": "b", "filters": 32, "kernel_size": 3, "padding": "causal"},
            {"type": "Conv1D", "name": "c", "filters": 16, "kernel_size": 5, "dilation_rate": 2}])"));
        data::Sequence seq;
        seq.length = 700;
        seq.channels = 16;
        seq.values = random_tensor(Shape{700, 16}, 12).data;
        PaddingPreviewOptions o;
        o.maxlen = 1500;
        o.padding = data::PadSide::Post;
        auto p = preview_padding(s, seq, o);
        QVERIFY(p.ok());
        float worst = 0, top = 0;
        for (const auto& l : p->layers) {
            for (int64_t t = 0; t < int64_t(l.diff_padded.size()); ++t)
                if (!l.contamination.at(0, t) && !std::isnan(l.diff_padded[size_t(t)]))
                    worst = std::max(worst, l.diff_padded[size_t(t)]);
            for (float v : l.padded.data) top = std::max(top, std::abs(v));
        }
        qInfo("wide preview: clean steps differ by at most %g (outputs up to %g)", worst, top);
        QVERIFY(worst <= 1e-6f * top);
    }

    void preview_pre_padding_offsets() {
        const Stack s = make_stack("channels_first", json::parse(R"([
            {"type": "Conv1D", "name": "a", "filters": 2, "kernel_size": 3},
            {"type": "MaxPooling1D", "name": "p", "pool_size": 2},
            {"type": "Conv1D", "name": "b", "filters": 2, "kernel_size": 1},
            {"type": "GlobalMaxPooling1D", "name": "g"}])"));
        data::Sequence seq;
        seq.length = 10;
        seq.channels = 1;
        seq.values = random_tensor(Shape{10}, 2).data;
        PaddingPreviewOptions o;
        o.maxlen = 14;
        o.padding = data::PadSide::Pre;
        auto p = preview_padding(s, seq, o);
        QVERIFY2(p.ok(), p ? "" : p.error().message.c_str());
        QCOMPARE(p->pad_before, int64_t(4));
        QCOMPARE(p->layers[0].offset, int64_t(4));  // stride 1 so far
        QCOMPARE(p->layers[1].offset, int64_t(2));  // after pooling by 2
        QCOMPARE(p->layers[2].offset, int64_t(2));
        QCOMPARE(p->layers[3].offset, int64_t(0));  // no length axis
        // Conv 'a': padded step t is unpadded t - 4; steps 0..3 have no counterpart.
        for (int64_t t = 0; t < 4; ++t) QVERIFY(std::isnan(p->layers[0].diff_padded[size_t(t)]));
        QCOMPARE(row(p->layers[0].contamination), (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}));
        for (int64_t t = 4; t < 12; ++t) QCOMPARE(p->layers[0].diff_padded[size_t(t)], 0.0f);
        // Pooled: windows [4,5] .. [10,11] are clean and line up with the unpadded windows.
        for (int64_t t = 2; t < 6; ++t) {
            QVERIFY(!p->layers[1].contamination.at(0, t));
            QCOMPARE(p->layers[1].diff_padded[size_t(t)], 0.0f);
        }
    }

    void preview_truncation_offsets() {
        const Stack s = make_stack("channels_last", json::parse(R"([{"type": "Conv1D", "name": "a", "filters": 1, "kernel_size": 3}])"));
        data::Sequence seq;
        seq.length = 10;
        seq.channels = 1;
        seq.values = random_tensor(Shape{10}, 8).data;
        PaddingPreviewOptions o;
        o.maxlen = 6;
        o.truncating = data::PadSide::Pre;
        auto p = preview_padding(s, seq, o);
        QVERIFY(p.ok());
        QCOMPARE(p->cut_before, int64_t(4));
        QCOMPARE(p->layers[0].offset, int64_t(-4));
        QVERIFY(!p->input_padding.any());
        for (float d : p->layers[0].diff_padded) QCOMPARE(d, 0.0f);  // steps 4..9 are the same windows
    }

    void preview_masked_gap_equals_unpadded_gap() {
        const Stack s = make_stack("channels_last", json::parse(R"([
            {"type": "Dense", "name": "fc", "units": 3, "activation": "tanh"},
            {"type": "Dropout", "name": "d"},
            {"type": "GlobalAveragePooling1D", "name": "gap"}])"));
        data::Sequence seq;
        seq.length = 7;
        seq.channels = 2;
        seq.values = random_tensor(Shape{7, 2}, 6).data;
        PaddingPreviewOptions o;
        o.maxlen = 12;
        o.padding = data::PadSide::Pre;
        auto p = preview_padding(s, seq, o);
        QVERIFY2(p.ok(), p ? "" : p.error().message.c_str());
        const auto& gap = p->layers.back();
        QCOMPARE(gap.masked.shape, gap.unpadded->shape);
        QVERIFY(relative_error(gap.masked, *gap.unpadded) < 1e-6);
        QVERIFY(gap.diff_masked[0] < 1e-6f);
        // Without the mask the padded zeros (through Dense's bias and tanh) pull the mean away.
        QVERIFY(gap.diff_padded[0] > 1e-3f);
        QCOMPARE(row(gap.contamination), (std::vector<uint8_t>{1}));
    }

    void preview_reports_a_stack_that_does_not_fit() {
        const Stack s = make_stack("channels_last", json::parse(R"([{"type": "Conv1D", "name": "a", "filters": 1, "kernel_size": 9}])"));
        data::Sequence seq;
        seq.length = 5;
        seq.channels = 1;
        seq.values.assign(5, 1.0f);
        PaddingPreviewOptions o;
        o.maxlen = 6;
        auto p = preview_padding(s, seq, o);
        QVERIFY(!p);
        QVERIFY(p.error().message.find("does not fit") != std::string::npos);
        o.maxlen = 10;  // padded fits, unpadded does not: no unpadded run, NaN differences
        auto q = preview_padding(s, seq, o);
        QVERIFY(q.ok());
        QVERIFY(!q->layers[0].unpadded.has_value());
        QVERIFY(std::isnan(q->layers[0].diff_padded[0]));
    }
};

QTEST_GUILESS_MAIN(TestMasking)
#include "test_masking.moc"
