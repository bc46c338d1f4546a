// The dataset inspector on the shipped samples (the three classic mistakes) and
// on hand-made datasets with one known problem each.
#include <cmath>

#include "data/dataset_inspector.hpp"
#include "data/dataset_loader.hpp"
#include "data/npy_writer.hpp"
#include "test_helpers.hpp"

using namespace convscope::data;

namespace {
InspectionReport inspect_file(const std::filesystem::path& p) {
    auto d = load_dataset(p);
    if (!d) qFatal("%s", d.error().message.c_str());
    return inspect(*d);
}
const Finding* find(const InspectionReport& r, const std::string& severity, const std::string& text) {
    for (const auto& f : r.findings)
        if (f.severity == severity && contains(f.message, text)) return &f;
    return nullptr;
}
std::string all_findings(const InspectionReport& r) {
    std::string s;
    for (const auto& f : r.findings) s += f.severity + ": " + f.message + "\n";
    return s;
}
Dataset make(std::vector<std::vector<float>> seqs, int64_t channels, std::vector<std::string> labels = {}) {
    std::vector<Sequence> out;
    for (size_t i = 0; i < seqs.size(); ++i) {
        Sequence s;
        s.name = "s" + std::to_string(i);
        s.channels = channels;
        s.length = static_cast<int64_t>(seqs[i].size()) / channels;
        s.values = seqs[i];
        if (i < labels.size()) s.label = labels[i];
        out.push_back(std::move(s));
    }
    return Dataset::from_sequences(std::move(out), "mem", "test", "float32");
}
std::vector<float> wave(int64_t n, int64_t channels, float phase) {
    std::vector<float> v;
    for (int64_t t = 0; t < n; ++t)
        for (int64_t c = 0; c < channels; ++c) v.push_back(std::sin(0.2f * float(t) + phase + float(c)));
    return v;
}
}  // namespace

class TestInspector : public QObject {
    Q_OBJECT
private slots:
    void transposed_batch_is_flagged() {
        auto r = inspect_file(sample("transposed_batch.npy"));
        QCOMPARE(r.count, 32);
        QCOMPARE(*r.array_shape, (std::vector<int64_t>{32, 5, 100}));
        QCOMPARE(r.layout.layout, std::string("channels_first"));
        QCOMPARE(r.layout.time_axis, 2);
        QCOMPARE(r.layout.channel_axis, 1);
        QVERIFY(r.layout.confidence >= 0.85);
        CHECK_CONTAINS(r.layout.reason, "axis 1 has 5 entries and axis 2 has 100: this looks like (batch, channels, length)");
        QVERIFY2(find(r, "warning", "The axes look transposed"), all_findings(r).c_str());
        QCOMPARE(r.nan_count, 0);
        QCOMPARE(r.padded_steps, 0);
    }

    // Issue 9: the report said "layout channels_first (time axis 2, channel axis 1)" and then
    // counted 200 channels of length 5. Counts, lengths and statistics follow the guess.
    void counts_follow_the_guessed_layout() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "cf.npy";
        std::vector<float> v;
        for (int64_t n = 0; n < 64; ++n)
            for (int64_t c = 0; c < 5; ++c)
                for (int64_t t = 0; t < 200; ++t) v.push_back(float(c) * 10.0f + std::sin(0.05f * float(t + n)));
        QVERIFY(write_npy(path, {64, 5, 200}, v));
        auto r = inspect_file(path);
        QCOMPARE(r.layout.layout, std::string("channels_first"));
        QCOMPARE(*r.array_shape, (std::vector<int64_t>{64, 5, 200}));  // the stored shape stays visible
        QCOMPARE(r.count, 64);
        QCOMPARE(r.channels, 5);
        QCOMPARE(r.channel_stats.size(), size_t(5));
        QCOMPARE(r.lengths.min, 200);
        QCOMPARE(r.lengths.max, 200);
        QCOMPARE(r.read_as, std::string("64 sequences of 200 steps x 5 channels"));
        QVERIFY(!r.read_as_stored);
        // Channel c holds 10 c + a sine: the per-channel means prove the values were regrouped.
        for (int c = 0; c < 5; ++c)
            QVERIFY2(std::abs(r.channel_stats[size_t(c)].mean - 10.0 * c) < 1.0, std::to_string(c).c_str());
        const auto j = r.to_json();
        QCOMPARE(j["channels"].get<int64_t>(), 5);
        QCOMPARE(j["read_as"]["as_stored"].get<bool>(), false);
        QCOMPARE(j["read_as"]["why"].get<std::string>(), std::string("the stored channel and length axes are swapped"));
    }

    // A 2-D array guessed as one recording (L, C) is one sequence of L steps and C channels.
    void one_recording_2d_is_one_sequence() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "lc.npy";
        std::vector<float> v;
        for (int64_t t = 0; t < 1000; ++t)
            for (int64_t c = 0; c < 2; ++c) v.push_back(c == 0 ? std::sin(0.01f * float(t)) : 5.0f);
        QVERIFY(write_npy(path, {1000, 2}, v));
        auto r = inspect_file(path);
        QCOMPARE(r.count, 1);
        QCOMPARE(r.channels, 2);
        QCOMPARE(r.lengths.max, 1000);
        QCOMPARE(r.duplicate_count, 0);
        QCOMPARE(r.channel_stats[1].mean, 5.0);
        QCOMPARE(r.constant_channels, (std::vector<int64_t>{1}));
        // Was: "the stored axes are in another order", of an (L, C) array already in that order.
        QVERIFY(!r.read_as_stored);
        QCOMPARE(r.read_as_why, std::string("the stored rows are the steps of one recording"));
    }

    void three_channel_is_fine() {
        auto r = inspect_file(sample("three_channel.npy"));
        QCOMPARE(r.layout.layout, std::string("channels_last"));
        QCOMPARE(r.layout.time_axis, 1);
        QCOMPARE(r.channels, 3);
        QCOMPARE(r.channel_stats.size(), size_t(3));
        QVERIFY(r.channel_stats[0].std > 0.1);
        QVERIFY2(!find(r, "warning", "transposed") && !r.has_errors(), all_findings(r).c_str());
    }

    void broken_transposed_has_nans_and_axes() {
        auto r = inspect_file(sample("broken_transposed.npy"));
        QCOMPARE(r.nan_count, 5);
        QVERIFY(r.first_nan);
        QCOMPARE(r.first_nan->sequence, 2);
        // Positions follow the layout guess: stored axis 1 holds the channels, axis 2 the steps.
        QCOMPARE(r.first_nan->step, 50);
        QCOMPARE(r.first_nan->channel, 1);
        QVERIFY(r.has_errors());
        const auto* nan = find(r, "error", "5 NaN values, the first at sequence 2, step 50, channel 1");
        QVERIFY2(nan, all_findings(r).c_str());
        QVERIFY(!nan->fix.empty());
        QCOMPARE(r.layout.layout, std::string("channels_first"));
    }

    void ragged_labelled_ts() {
        auto r = inspect_file(sample("ragged_labelled.ts"));
        QCOMPARE(r.count, 20);
        QCOMPARE(r.channels, 2);
        QVERIFY(!r.array_shape);
        QVERIFY(r.lengths.min >= 80 && r.lengths.max <= 120 && r.lengths.min < r.lengths.max);
        QCOMPARE(r.lengths.counts.size(), size_t(20));
        int64_t in_hist = 0;
        for (auto c : r.lengths.counts) in_hist += c;
        QCOMPARE(in_hist, 20);
        QCOMPARE(r.classes.size(), size_t(3));
        QCOMPARE(r.classes[0].label, std::string("sawtooth"));
        QCOMPARE(r.classes[0].count, 6);
        QCOMPARE(r.padded_steps, r.count * r.maxlen - r.lengths.total_steps);
        QVERIFY2(find(r, "warning", "Sequence lengths range from"), all_findings(r).c_str());
        QCOMPARE(r.layout.layout, std::string("channels_last"));
    }

    void sensor_csv() {
        auto r = inspect_file(sample("sensor_recording.csv"));
        QCOMPARE(r.count, 1);
        QCOMPARE(r.channels, 3);
        QCOMPARE(r.lengths.min, 500);
        QCOMPARE(r.channel_stats[2].name, std::string("az"));
        QVERIFY(std::abs(r.channel_stats[2].mean - 9.81) < 0.1);
        QCOMPARE(r.layout.layout, std::string("channels_last"));
        CHECK_CONTAINS(r.layout.reason, "sequences have 500 steps (median) and 3 channels");
    }

    void stats_are_exact() {
        // Channel 0: 1..4; channel 1: constant 7; channel 2: zeros; one Inf.
        auto d = make({{1, 7, 0, 2, 7, 0}, {3, 7, 0, INFINITY, 7, 0}}, 3);
        auto r = inspect(d);
        QCOMPARE(r.channel_stats[0].min, 1.0);
        QCOMPARE(r.channel_stats[0].max, 3.0);
        QCOMPARE(r.channel_stats[0].mean, 2.0);
        QCOMPARE(r.channel_stats[0].inf_count, 1);
        QVERIFY(std::abs(r.channel_stats[0].std - std::sqrt(2.0 / 3.0)) < 1e-9);
        QCOMPARE(r.constant_channels, (std::vector<int64_t>{1, 2}));
        QCOMPARE(r.zero_channels, (std::vector<int64_t>{2}));
        QCOMPARE(r.inf_count, 1);
        QCOMPARE(r.first_inf->sequence, 1);
        QCOMPARE(r.first_inf->step, 1);
        QCOMPARE(r.first_inf->channel, 0);
        QVERIFY2(find(r, "error", "1 infinite value, the first at sequence 1 ('s1'), step 1, channel 0"), all_findings(r).c_str());
        QVERIFY(find(r, "warning", "channel 1 is constant (7)"));
        QVERIFY(find(r, "warning", "channel 2 is all zeros"));
        QVERIFY(find(r, "warning", "The shortest sequence has only 2 steps"));
    }

    void duplicates_and_imbalance() {
        std::vector<std::vector<float>> seqs;
        std::vector<std::string> labels;
        for (int i = 0; i < 12; ++i) {
            seqs.push_back(wave(40, 1, float(i)));
            labels.push_back(i < 11 ? "normal" : "fault");
        }
        seqs.push_back(seqs[3]);  // an exact copy
        labels.push_back("normal");
        auto r = inspect(make(seqs, 1, labels));
        QCOMPARE(r.duplicate_count, 1);
        QCOMPARE(r.duplicate_examples.front(), (std::pair<int64_t, int64_t>{12, 3}));
        QVERIFY2(find(r, "warning", "1 sequence is an exact duplicate of an earlier one (e.g. s12 equals s3)"), all_findings(r).c_str());
        QVERIFY(find(r, "warning", "Heavy class imbalance: 'normal' has 12 sequences, 'fault' only 1"));
        QVERIFY(!r.has_errors());
    }

    void length_histogram_and_median() {
        auto d = make({wave(10, 1, 0), wave(20, 1, 1), wave(30, 1, 2), wave(40, 1, 3)}, 1);
        InspectOptions o;
        o.histogram_bins = 3;
        auto r = inspect(d, o);
        QCOMPARE(r.lengths.median, 25.0);
        QCOMPARE(r.lengths.edges, (std::vector<double>{10, 20, 30, 40}));
        QCOMPARE(r.lengths.counts, (std::vector<int64_t>{1, 1, 2}));
        QCOMPARE(r.padded_steps, 30 + 20 + 10);
        QCOMPARE(r.padding_fraction, 60.0 / 160.0);
    }

    void json_report() {
        auto r = inspect_file(sample("transposed_batch.npy"));
        const auto j = r.to_json();
        QCOMPARE(j["count"].get<int64_t>(), 32);
        QCOMPARE(j["shape"].get<std::vector<int64_t>>(), (std::vector<int64_t>{32, 5, 100}));
        QCOMPARE(j["time_axis_guess"]["layout"].get<std::string>(), std::string("channels_first"));
        QCOMPARE(j["lengths"]["median"].get<double>(), 100.0);  // stored (32, 5, 100): 100 steps as guessed
        QVERIFY(j["findings"].is_array() && !j["findings"].empty());
        QVERIFY(j["findings"][0].contains("fix"));
    }

    void empty_dataset_is_an_error() {
        auto r = inspect(Dataset());
        QVERIFY(r.has_errors());
        QVERIFY(find(r, "error", "holds no values"));
    }
};

QTEST_GUILESS_MAIN(TestInspector)
#include "test_inspector.moc"
