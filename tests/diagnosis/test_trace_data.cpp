// Issue 9: the trace reads data as the data panel reads it (1-D recordings, (N, L), (L, C)),
// offers the axes the stack wants, and fixes that declare an input shape keep the length open.
#include <QtTest>

#include <QTemporaryDir>
#include <cmath>
#include <filesystem>

#include "data/dataset_loader.hpp"
#include "data/npy_writer.hpp"
#include "data/sequence_reading.hpp"
#include "diagnosis/trace_input.hpp"
#include "stack_test_support.hpp"

using namespace convscope;
using nlohmann::json;

namespace {

// The ECG screenshot's stack: Conv1D(8, 7) -> MaxPooling1D(4) -> GlobalAveragePooling1D -> Dense(1).
Stack ecg_stack(DataFormat f, std::optional<Shape> declared) {
    return make_stack(f, std::move(declared),
                      {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 7}, {"activation", "relu"}}},
                       {"MaxPooling1D", "pool1", true, {{"pool_size", 4}}},
                       {"GlobalAveragePooling1D", "gap", true, json::object()},
                       {"Dense", "out", true, {{"units", 1}}}});
}

const Fix* find_fix(const ShapeError& e, const std::string& id) {
    for (const auto& f : e.fixes)
        if (f.id == id) return &f;
    return nullptr;
}

std::string fix_list(const ShapeError& e) {
    std::string s;
    for (const auto& f : e.fixes) s += f.id + ": " + f.description + "\n";
    return s;
}

data::Dataset array_dataset(const QTemporaryDir& dir, const std::string& name, const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = std::sin(0.01f * float(i));
    const auto path = std::filesystem::path(dir.path().toStdString()) / name;
    if (!data::write_npy(path, shape, v)) qFatal("cannot write %s", path.c_str());
    auto d = data::load_dataset(path);
    if (!d) qFatal("%s", d.error().message.c_str());
    return *d;
}

// Every fix passes on the input it was traced on.
void verify_fixes_pass(const ShapeError& e) {
    QVERIFY2(!e.fixes.empty(), "no fix offered");
    for (const auto& f : e.fixes)
        QVERIFY2(trace_stack(f.stack, f.traced_on, {false, false}).ok(), (f.id + " does not pass").c_str());
}

}  // namespace

class TestTraceData : public QObject {
    Q_OBJECT
private slots:
    // Was: "Wrong number of axes" with no fix, on the data panel's "1 sequence x 1 channel".
    void one_d_recording_gets_batch_and_channel_axes() {
        QTemporaryDir dir;
        const auto ecg = array_dataset(dir, "ecg.npy", {108000});
        const auto reading = data::read_dataset(ecg, data::guess_layout(ecg));
        QCOMPARE(reading.summary(), std::string("1 sequence of 108000 steps x 1 channel"));
        for (const auto format : {DataFormat::ChannelsLast, DataFormat::ChannelsFirst}) {
            const bool last = format == DataFormat::ChannelsLast;
            const Shape declared = last ? Shape{kAnyDim, kAnyDim, 1} : Shape{kAnyDim, 1, kAnyDim};
            const Shape expected = last ? Shape{1, 108000, 1} : Shape{1, 1, 108000};
            for (const auto& stack : {ecg_stack(format, declared), ecg_stack(format, std::nullopt)}) {
                const TraceInput input = trace_input_from_dataset(ecg, format);
                const Trace t = trace_stack(stack, input);
                QVERIFY(!t.ok());
                const ShapeError& e = *t.error();
                QCOMPARE(e.kind, MistakeKind::RankMismatch);
                // The explanation reads the array as the data panel does (one recording, no batch or channel axis).
                QVERIFY2(e.explanation.find("one recording of 108000 steps x 1 channel with no batch axis and no "
                                            "channel axis: shape it as " +
                                            expected.to_string()) != std::string::npos,
                         e.explanation.c_str());
                QCOMPARE(e.actual, std::string("1 axis (108000,)"));
                const Fix* add = find_fix(e, "add-batch-and-channel-axes");
                QVERIFY2(add, fix_list(e).c_str());
                QCOMPARE(e.fixes.front().id, std::string("add-batch-and-channel-axes"));
                QVERIFY(add->data_change);
                QCOMPARE(add->data_change->new_shape, expected);
                QCOMPARE(add->data_change->description, "add batch and channel axes: " + expected.to_string());
                QCOMPARE(add->traced_on.shape, expected);
                // The stack-side equivalent: a batch of one, and a Reshape that keeps any length.
                const Fix* in_stack = find_fix(e, "add-batch-axis-and-reshape");
                QVERIFY2(in_stack, fix_list(e).c_str());
                QCOMPARE(in_stack->stack.layers.front().type, std::string("Reshape"));
                QCOMPARE(in_stack->stack.layers.front().params["target_shape"], (last ? json{-1, 1} : json{1, -1}));
                QCOMPARE(in_stack->traced_on.shape, (Shape{1, 108000}));
                verify_fixes_pass(e);
            }
        }
    }

    void two_d_arrays_follow_the_reading() {
        QTemporaryDir dir;
        const Stack stack = ecg_stack(DataFormat::ChannelsLast, Shape{kAnyDim, kAnyDim, kAnyDim});
        {  // (N, L): N univariate sequences -> a channel axis
            const auto d = array_dataset(dir, "nl.npy", {32, 100});
            const Trace t = trace_stack(stack, trace_input_from_dataset(d, stack.data_format));
            QVERIFY2(t.error()->explanation.find("32 univariate sequences with no channel axis") != std::string::npos,
                     t.error()->explanation.c_str());
            const Fix* f = find_fix(*t.error(), "add-channel-axis");
            QVERIFY2(f, fix_list(*t.error()).c_str());
            QCOMPARE(f->data_change->new_shape, (Shape{32, 100, 1}));
            QCOMPARE(f->stack.layers.front().params["target_shape"], (json{-1, 1}));  // any length
            verify_fixes_pass(*t.error());
        }
        {  // (L, C): one recording of L steps and C channels, as the data panel reads it -> a batch axis
            const auto d = array_dataset(dir, "lc.npy", {1000, 2});
            const auto reading = data::read_dataset(d, data::guess_layout(d));
            QCOMPARE(reading.summary(), std::string("1 sequence of 1000 steps x 2 channels"));
            const Trace t = trace_stack(stack, trace_input_from_dataset(d, stack.data_format));
            QCOMPARE(t.error()->fixes.front().id, std::string("add-batch-axis"));
            // Was: "has no channel axis. A univariate series still needs one", against the panel's 2 channels.
            QVERIFY2(t.error()->explanation.find("one recording of 1000 steps x 2 channels with no batch axis: shape "
                                                 "it as (1, 1000, 2)") != std::string::npos,
                     t.error()->explanation.c_str());
            QVERIFY(t.error()->explanation.find("univariate") == std::string::npos);
            QCOMPARE(t.error()->fixes.front().data_change->new_shape, (Shape{1, 1000, 2}));
            verify_fixes_pass(*t.error());
            Stack torch = stack;
            torch.data_format = DataFormat::ChannelsFirst;
            const Trace tt = trace_stack(torch, trace_input_from_dataset(d, torch.data_format));
            QCOMPARE(tt.error()->fixes.front().data_change->new_shape, (Shape{1, 2, 1000}));
        }
    }

    // Was: the first fix declared (None, 1, 68545), this file's length, on a stack that takes
    // any length of at least 5 steps. A stereo WAV loads as one sequence of 68545 steps x 2 channels.
    void fixes_keep_the_length_open() {
        data::Sequence stereo;
        stereo.name = "stereo";
        stereo.length = 68545;
        stereo.channels = 2;
        stereo.values.assign(static_cast<size_t>(68545 * 2), 0.25f);
        const auto wav = data::Dataset::from_sequences({stereo}, "stereo.wav", "wav", "int16");
        const Stack mono = make_stack(DataFormat::ChannelsFirst, Shape{kAnyDim, 1, 68545},
                                      {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 5}}},
                                       {"GlobalMaxPooling1D", "gmp", true, json::object()},
                                       {"Dense", "out", true, {{"units", 2}}}});
        const TraceInput input = trace_input_from_dataset(wav, mono.data_format);
        QCOMPARE(input.shape, (Shape{1, 2, 68545}));
        const Trace t = trace_stack(mono, input);
        QVERIFY(!t.ok());
        int declaring = 0;
        for (const auto& f : t.error()->fixes) {
            if (!f.stack.input_shape || f.stack.input_shape == mono.input_shape) continue;
            ++declaring;
            const Shape& s = *f.stack.input_shape;
            QVERIFY2(s[0] == kAnyDim && s[2] == kAnyDim, (f.id + " declares " + s.to_string()).c_str());
            QVERIFY2(trace_stack(f.stack, f.traced_on, {false, false}).ok(), f.id.c_str());
        }
        QVERIFY2(declaring >= 1, fix_list(*t.error()).c_str());
        // Where the stack pins the length (Flatten + Dense), the declared length stays.
        const Stack pinned = make_stack(DataFormat::ChannelsFirst, Shape{kAnyDim, 1, 100},
                                        {{"Conv1D", "conv1", true, {{"filters", 4}, {"kernel_size", 5}}},
                                         {"Flatten", "flat", true, json::object()},
                                         {"Dense", "out", true, {{"units", 2}, {"in_features", 384}}}});
        const Trace p = trace_stack(pinned, TraceInput::uniform({8, 2, 100}));
        const Fix* declare = find_fix(*p.error(), "set-input-shape");
        QVERIFY2(declare, fix_list(*p.error()).c_str());
        QCOMPARE(*declare->stack.input_shape, (Shape{kAnyDim, 2, 100}));
    }

    // Issue 9, "fixes keep open dimensions open": a stack that leaves the length open and whose
    // first Conv1D was built for 1 channel, fed stereo audio. Its first fix declares the data's
    // 2 channels and then sets in_channels; the declared length must stay None (it was 68545,
    // the file's length, because the declared shape was settled before in_channels was set).
    void chained_fix_keeps_the_open_length() {
        data::Sequence stereo;
        stereo.name = "stereo";
        stereo.length = 68545;
        stereo.channels = 2;
        stereo.values.assign(static_cast<size_t>(68545 * 2), 0.25f);
        const auto wav = data::Dataset::from_sequences({stereo}, "stereo.wav", "wav", "int16");
        for (const DataFormat format : {DataFormat::ChannelsFirst, DataFormat::ChannelsLast}) {
            const bool first = format == DataFormat::ChannelsFirst;
            const Shape declared = first ? Shape{kAnyDim, 1, kAnyDim} : Shape{kAnyDim, kAnyDim, 1};
            const Stack mono = make_stack(
                format, declared,
                {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 5}, {"in_channels", 1}}},
                 {"GlobalAveragePooling1D", "gap", true, json::object()},
                 {"Dense", "out", true, {{"units", 2}}}});
            const TraceInput input = trace_input_from_dataset(wav, format);
            const Trace t = trace_stack(mono, input);
            QVERIFY(t.error());
            const Fix& fix = t.error()->fixes.front();
            QVERIFY2(fix.stack.input_shape, fix_list(*t.error()).c_str());
            const Shape want = first ? Shape{kAnyDim, 2, kAnyDim} : Shape{kAnyDim, kAnyDim, 2};
            QVERIFY2(*fix.stack.input_shape == want,
                     (fix.id + " declares " + fix.stack.input_shape->to_string()).c_str());
            QVERIFY2(fix.description.find("68545") == std::string::npos, fix.description.c_str());
            // Re-traced: it passes on the file and on another length.
            QVERIFY(trace_stack(fix.stack, fix.traced_on, {false, false}).ok());
            Shape other = input.shape;
            other[first ? 2 : 1] = 300;
            QVERIFY(trace_stack(fix.stack, TraceInput::uniform(other), {false, false}).ok());
            verify_fixes_pass(*t.error());
        }
        // The same on a (N, L, 2) array whose stack declares nothing: the declared shapes the
        // fixes write keep the batch and the length open.
        QTemporaryDir dir;
        const auto nl2 = array_dataset(dir, "nl2.npy", {4, 500, 2});
        const Stack built_for_one = make_stack(
            DataFormat::ChannelsLast, Shape{kAnyDim, kAnyDim, 1},
            {{"Conv1D", "conv1", true, {{"filters", 4}, {"kernel_size", 5}, {"in_channels", 1}}},
             {"GlobalMaxPooling1D", "gmp", true, json::object()}});
        const Trace a = trace_stack(built_for_one, trace_input_from_dataset(nl2, DataFormat::ChannelsLast));
        QVERIFY(a.error());
        for (const auto& f : a.error()->fixes)
            if (f.stack.input_shape)
                QVERIFY2((*f.stack.input_shape)[0] == kAnyDim && (*f.stack.input_shape)[1] == kAnyDim,
                         (f.id + " declares " + f.stack.input_shape->to_string()).c_str());
        QCOMPARE(*a.error()->fixes.front().stack.input_shape, (Shape{kAnyDim, kAnyDim, 2}));
        // A fix that reorders the declared shape keeps its entries: the length the stack declared stays.
        const Stack declared_100 = make_stack(DataFormat::ChannelsLast, Shape{kAnyDim, 100, 5},
                                              {{"Conv1D", "conv1", true, {{"filters", 4}, {"kernel_size", 5}}},
                                               {"GlobalAveragePooling1D", "gap", true, json::object()}});
        const Trace tr = trace_stack(declared_100, TraceInput::uniform({32, 5, 100}));
        const Fix* transpose = find_fix(*tr.error(), "transpose-input");
        QVERIFY2(transpose, fix_list(*tr.error()).c_str());
        QCOMPARE(*transpose->stack.input_shape, (Shape{kAnyDim, 5, 100}));
    }
};

QTEST_APPLESS_MAIN(TestTraceData)
#include "test_trace_data.moc"
