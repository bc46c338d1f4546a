// pad_sequences against Keras' own output (tests/golden/pad, from
// tests/golden/make_pad_golden.py), and length bucketing.
#include <nlohmann/json.hpp>

#include <fstream>

#include "data/length_bucketing.hpp"
#include "data/pad_sequences.hpp"
#include "test_helpers.hpp"

using namespace convscope::data;

namespace {
Dataset from_lengths(const std::vector<int64_t>& lengths) {
    std::vector<Sequence> seqs;
    for (auto l : lengths) {
        Sequence s;
        s.length = l;
        s.channels = 1;
        s.values.assign(static_cast<size_t>(l), 1.0f);
        seqs.push_back(std::move(s));
    }
    return Dataset::from_sequences(std::move(seqs), "mem", "test", "float32");
}
}  // namespace

class TestPad : public QObject {
    Q_OBJECT
private slots:
    void matches_keras_golden() {
        const auto dir = std::filesystem::path(CONVSCOPE_SOURCE_DIR) / "tests/golden/pad";
        int cases = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".json") continue;
            std::ifstream in(entry.path());
            const auto j = nlohmann::json::parse(in);
            const int64_t channels = j["channels"];
            std::vector<Sequence> seqs;
            for (const auto& s : j["sequences"]) {
                Sequence q;
                q.channels = channels;
                q.length = static_cast<int64_t>(s.size());
                for (const auto& step : s) {
                    if (channels == 1) q.values.push_back(step.get<float>());
                    else for (const auto& v : step) q.values.push_back(v.get<float>());
                }
                seqs.push_back(std::move(q));
            }
            const auto d = Dataset::from_sequences(std::move(seqs), "golden", "test", "float32");
            PadOptions o;
            if (!j["maxlen"].is_null()) o.maxlen = j["maxlen"].get<int64_t>();
            o.padding = *parse_pad_side(j["padding"].get<std::string>());
            o.truncating = *parse_pad_side(j["truncating"].get<std::string>());
            o.value = j["value"];
            const auto b = pad_sequences(d, o);
            const std::string name = j["name"];
            QVERIFY2(b.shape == j["shape"].get<std::vector<int64_t>>(), name.c_str());
            QVERIFY2(b.values == j["expected"].get<std::vector<float>>(), name.c_str());
            // Mask marks exactly the steps not equal to padding in these cases' layout.
            const int64_t maxlen = b.shape[1];
            for (int64_t i = 0; i < d.size(); ++i) {
                int64_t real = 0;
                for (int64_t t = 0; t < maxlen; ++t) real += b.mask[static_cast<size_t>(i * maxlen + t)];
                QCOMPARE(real, std::min(d.length(i), maxlen));
            }
            ++cases;
        }
        QCOMPARE(cases, 24);
    }

    void mask_and_lengths() {
        const auto d = from_lengths({2, 4});
        auto pre = pad_sequences(d, {});
        QCOMPARE(pre.shape, (std::vector<int64_t>{2, 4}));
        QCOMPARE(pre.mask, (std::vector<uint8_t>{0, 0, 1, 1, 1, 1, 1, 1}));
        QCOMPARE(pre.lengths, (std::vector<int64_t>{2, 4}));
        PadOptions o;
        o.maxlen = 3;
        o.padding = PadSide::Post;
        auto post = pad_sequences(d, o);
        QCOMPARE(post.mask, (std::vector<uint8_t>{1, 1, 0, 1, 1, 1}));
        QCOMPARE(post.truncated_sequences, 1);
        o.maxlen = 0;
        QCOMPARE(pad_sequences(d, o).shape, (std::vector<int64_t>{2, 0}));
        QVERIFY(!parse_pad_side("middle"));
    }

    void bucketing_saves_padding() {
        const auto d = from_lengths({80, 120, 81, 119, 80, 120, 100, 82});
        auto r = bucket_by_length(d, {.batch_size = 4});
        QVERIFY(r.ok());
        QCOMPARE(r->buckets.size(), size_t(2));
        QCOMPARE(r->buckets[0].indices, (std::vector<int64_t>{0, 4, 2, 7}));
        QCOMPARE(r->buckets[0].maxlen, 82);
        QCOMPARE(r->buckets[0].padded_steps, 2 + 2 + 1 + 0);
        QCOMPARE(r->buckets[1].min_length, 100);
        QCOMPARE(r->buckets[1].padded_steps, 20 + 1 + 0 + 0);
        QCOMPARE(r->real_steps, 782);
        QCOMPARE(r->global_padded_steps, 8 * 120 - 782);
        QCOMPARE(r->saved_steps, r->global_padded_steps - 26);
        QVERIFY(r->saved_fraction > 0.8);

        auto nb = bucket_by_length(d, {.n_buckets = 3});
        QVERIFY(nb.ok());
        QCOMPARE(nb->buckets.size(), size_t(3));
        size_t total = 0;
        for (const auto& b : nb->buckets) total += b.indices.size();
        QCOMPARE(total, size_t(8));

        auto bad = bucket_by_length(d, {});
        QVERIFY(!bad);
        CHECK_CONTAINS(bad.error().message, "exactly one");
    }
};

QTEST_GUILESS_MAIN(TestPad)
#include "test_pad.moc"
