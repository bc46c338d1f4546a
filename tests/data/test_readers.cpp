// Text, archive and audio readers, and load_dataset's dispatch.
#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

#include "data/audio_reader.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_loader.hpp"
#include "data/npz_reader.hpp"
#include "data/ts_reader.hpp"
#include "data/ucr_reader.hpp"
#include "test_helpers.hpp"

using namespace convscope::data;

namespace {
std::vector<std::byte> file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> b(c.size());
    std::memcpy(b.data(), c.data(), c.size());
    return b;
}
}  // namespace

class TestReaders : public QObject {
    Q_OBJECT
private slots:
    void csv_header_and_delimiters() {
        const char* variants[] = {
            "ax,ay,az\n1,2,3\n4,5,6\n",
            "ax;ay;az\n1;2;3\n4;5;6\n",
            "ax\tay\taz\n1\t2\t3\n4\t5\t6\n",
            "ax ay  az\n 1 2   3\n4 5 6  \n",
            "\"ax\",\"ay\",\"az\"\r\n\"1\",2,3\r\n\r\n4,5,\"6\"\r\n",
        };
        for (const char* text : variants) {
            auto d = read_csv_text(text, "rec.csv");
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
            QCOMPARE(d->size(), 1);
            QCOMPARE(d->channels(), 3);
            QCOMPARE(d->length(0), 2);
            QCOMPARE(d->channel_names(), (std::vector<std::string>{"ax", "ay", "az"}));
            QCOMPARE(d->sequence(0).values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
        }
        // No header, single column, comments, trailing delimiter, decimal comma.
        auto uni = read_csv_text("# sensor 3\n0.5\n-1e-3\n+2\n", "u.csv");
        QVERIFY(uni.ok());
        QCOMPARE(uni->channels(), 1);
        QVERIFY(uni->channel_names().empty());
        QCOMPARE(uni->sequence(0).values, (std::vector<float>{0.5f, -0.001f, 2.0f}));
        auto trail = read_csv_text("1,2,\n3,4,\n", "t.csv");
        QVERIFY(trail.ok());
        QCOMPARE(trail->channels(), 2);
        auto euro = read_csv_text("a;b\n1,5;2\n3;4,25\n", "e.csv");
        QVERIFY(euro.ok());
        QCOMPARE(euro->sequence(0).values, (std::vector<float>{1.5f, 2, 3, 4.25f}));
        auto quoted = read_csv_text("name,v\n\"a, b\",1\n", "q.csv");
        QVERIFY(!quoted.ok());  // a text cell in a data row is an error, and says where
        CHECK_CONTAINS(quoted.error().message, "q.csv: line 2, column 1: expected a number, found 'a, b'");
    }

    void csv_missing_cells_are_counted() {
        auto d = read_csv_text("x,y\n1,2\n3,\nNaN,4\n5,NA\n", "gaps.csv");
        QVERIFY(d.ok());
        auto v = d->sequence(0).values;
        QCOMPARE(v.size(), size_t(8));
        QVERIFY(std::isnan(v[3]) && std::isnan(v[4]) && std::isnan(v[7]));
        QCOMPARE(d->notes().size(), size_t(1));
        QCOMPARE(d->notes()[0], std::string("gaps.csv: 3 empty or NaN cells read as NaN, first at line 3, column 2"));
    }

    void csv_errors_name_position() {
        auto ragged = read_csv_text("a,b,c\n1,2,3\n4,5\n", "r.csv");
        QVERIFY(!ragged);
        CHECK_CONTAINS(ragged.error().message, "r.csv: line 3 has 2 fields but line 1 has 3 (delimiter ',')");
        auto bad = read_csv_text("1,2\n3,x7\n", "b.csv");
        QVERIFY(!bad);
        CHECK_CONTAINS(bad.error().message, "b.csv: line 2, column 2: expected a number, found 'x7'");
        auto open_quote = read_csv_text("1,\"2\n3,4\n", "o.csv");
        QVERIFY(!open_quote);
        CHECK_CONTAINS(open_quote.error().message, "o.csv: line 1: a quoted field is never closed");
        auto empty = read_csv_text("\n\n  \n", "e.csv");
        QVERIFY(!empty);
        CHECK_CONTAINS(empty.error().message, "e.csv: no data");
        auto header_only = read_csv_text("a,b\n", "h.csv");
        QVERIFY(!header_only);
        CHECK_CONTAINS(header_only.error().message, "h.csv: only a header row (line 1)");
    }

    void csv_folder_is_one_ragged_dataset() {
        auto d = load_dataset(fixture("folder"));
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QCOMPARE(d->format(), std::string("csv-folder"));
        QCOMPARE(d->size(), 3);
        QCOMPARE(d->channels(), 2);
        QVERIFY(!d->array_shape());
        // Sorted by file name.
        QCOMPARE(d->name(0), std::string("run_c.csv"));
        QCOMPARE(d->name(2), std::string("walk_b.csv"));
        QCOMPARE(d->length(0), 4);
        QCOMPARE(d->length(1), 6);
        QCOMPARE(d->length(2), 9);
        QCOMPARE(d->sequence(2).values[2 * 8 + 1], -8.0f);
        QCOMPARE(d->channel_names(), (std::vector<std::string>{"left", "right"}));
    }

    void ucr_tsv() {
        for (const char* name : {"text/Toy_TRAIN.tsv", "text/toy_series.tsv"}) {
            auto d = load_dataset(fixture(name));
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
            QCOMPARE(d->format(), std::string("ucr-tsv"));
            QCOMPARE(d->size(), 4);
            QCOMPARE(d->channels(), 1);
            QCOMPARE(d->length(0), 12);
            QCOMPARE(d->length(1), 10);  // two trailing NaNs trimmed
            QCOMPARE(d->length(3), 11);
            QCOMPARE(*d->label(1), std::string("2"));
            QVERIFY(d->has_labels());
            QCOMPARE(d->sequence(0).values[2], 0.8415f);
            QVERIFY(d->notes().empty());
        }
        // A recording with 3 channels is not UCR even though it is a .tsv.
        QVERIFY(!looks_like_ucr("1\t2\t3\n4\t5\t6\n", "rec.tsv"));
        auto inner = read_ucr_text("a\t1\t?\t3\nb\t1\t2\n", "u.tsv");
        QVERIFY(inner.ok());
        QCOMPARE(inner->length(0), 3);
        QVERIFY(std::isnan(inner->sequence(0).values[1]));
        QCOMPARE(inner->notes()[0], std::string("u.tsv: 1 missing value inside series (not trailing padding), first at line 1, column 3"));
        auto bad = read_ucr_text("1\t0.5\tzz\n", "u.tsv");
        QVERIFY(!bad);
        CHECK_CONTAINS(bad.error().message, "u.tsv: line 1, column 3: expected a number, found 'zz'");
    }

    void ts_univariate_unequal_labelled() {
        const char* text =
            "# comment\n@problemName Toy\n@timeStamps false\n@missing true\n@univariate true\n"
            "@equalLength false\n@classLabel true up down\n@data\n"
            "1,2,3,4:up\n5,?,7:down\n\n8,9:up\n";
        auto d = read_ts_text(text, "toy.ts");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QCOMPARE(d->format(), std::string("ts"));
        QCOMPARE(d->size(), 3);
        QCOMPARE(d->channels(), 1);
        QCOMPARE(d->length(0), 4);
        QCOMPARE(d->length(1), 3);
        QCOMPARE(d->length(2), 2);
        QCOMPARE(*d->label(1), std::string("down"));
        QVERIFY(std::isnan(d->sequence(1).values[1]));
        QCOMPARE(d->notes()[0], std::string("toy.ts: 1 missing value ('?') read as NaN, first at line 10, column 3"));
    }

    void ts_multivariate() {
        const char* text =
            "@problemName M\n@univariate false\n@dimensions 2\n@equalLength true\n@seriesLength 3\n"
            "@classLabel true a b\n@data\n1,2,3:10,20,30:a\n4,5,6:40,50,60:b\n";
        auto d = read_ts_text(text, "m.ts");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QCOMPARE(d->channels(), 2);
        QCOMPARE(d->length(1), 3);
        // Stored [step][channel]: dimensions are interleaved.
        QCOMPARE(d->sequence(1).values, (std::vector<float>{4, 40, 5, 50, 6, 60}));
    }

    void ts_errors_name_position() {
        struct Case { const char* text; const char* expected; };
        const std::vector<Case> cases = {
            {"@problemName x\n@classLabel true a b\n@data\n1,2:c\n", "t.ts: line 4, column 5: class label 'c' is not among those declared by @classLabel (a b)"},
            {"@univariate false\n@dimensions 2\n@classLabel false\n@data\n1,2:3,4\n4,5\n", "t.ts: line 6, column 1: expected 2 dimensions separated by ':', found 1"},
            {"@dimensions 2\n@univariate false\n@data\n1,2,3:4,5\n", "t.ts: line 4, column 7: dimension 2 has 2 values but dimension 1 has 3"},
            {"@data\n1,x,3\n", "t.ts: line 2, column 3: expected a number or '?' in dimension 1, found 'x'"},
            {"@timeStamps true\n@data\n", "t.ts: line 1, column 1: timestamped series (@timeStamps true) are not supported"},
            {"@problemName x\n", "t.ts: no @data line"},
            {"@bogus 1\n@data\n1\n", "t.ts: line 1, column 1: unknown header tag '@bogus'"},
            {"@equalLength true\n@seriesLength 3\n@data\n1,2\n", "t.ts: line 4, column 1: the case has 2 values but @seriesLength is 3"},
            {"1,2,3\n", "t.ts: line 1, column 1: expected a header tag"},
            // Found by fuzz_ts: a NaN count once reached an integer conversion (undefined behaviour).
            {"@problemName Z\n@dimensions nan\n", "t.ts: line 2, column 1: expected a positive whole number after @dimensions, found 'nan'"},
            {"@seriesLength inf\n", "t.ts: line 1, column 1: expected a positive whole number after @serieslength, found 'inf'"},
        };
        for (const auto& c : cases) {
            auto d = read_ts_text(c.text, "t.ts");
            QVERIFY2(!d.ok(), c.text);
            CHECK_CONTAINS(d.error().message, c.expected);
        }
    }

    void npz_stored_and_deflated() {
        auto stored = list_npz(fixture("npz/stored.npz"));
        QVERIFY2(stored.ok(), stored.ok() ? "" : stored.error().message.c_str());
        QCOMPARE(stored->size(), size_t(2));
        QCOMPARE((*stored)[0].name, std::string("x"));
        QCOMPARE((*stored)[0].shape, (std::vector<int64_t>{2, 4, 3}));
        QCOMPARE((*stored)[0].dtype, std::string("float32"));
        QVERIFY(!(*stored)[0].compressed);
        QCOMPARE((*stored)[1].dtype, std::string("int64"));

        auto deflated = list_npz(fixture("npz/deflated.npz"));
        QVERIFY(deflated.ok());
        QVERIFY((*deflated)[0].compressed);
        QCOMPARE((*deflated)[0].name, std::string("signals"));
        QCOMPARE((*deflated)[0].dtype, std::string("float64"));

        auto first = load_dataset(fixture("npz/deflated.npz"));
        QVERIFY(first.ok());
        QCOMPARE(first->format(), std::string("npz"));
        QCOMPARE(*first->array_shape(), (std::vector<int64_t>{2, 4, 3}));
        QCOMPARE(first->sequence(1).values[0], 12.0f);
        QCOMPARE(first->source(), fixture("npz/deflated.npz").string() + ":signals");

        auto keyed = load_dataset(fixture("npz/stored.npz").string() + ":y");
        QVERIFY(keyed.ok());
        QCOMPARE(*keyed->array_shape(), (std::vector<int64_t>{2}));
        QCOMPARE(keyed->sequence(0).values, (std::vector<float>{0, 1}));

        auto missing = load_dataset(fixture("npz/stored.npz").string() + ":z");
        QVERIFY(!missing);
        CHECK_CONTAINS(missing.error().message, "stored.npz: no array named 'z'; the archive holds: x, y");

        // In memory, and damaged.
        auto bytes = file_bytes(fixture("npz/deflated.npz"));
        QVERIFY(read_npz_array_bytes(bytes, "mem.npz", "labels").ok());
        bytes.resize(bytes.size() / 2);
        auto cut = list_npz_bytes(bytes, "cut.npz");
        QVERIFY(!cut);
        CHECK_CONTAINS(cut.error().message, "cut.npz: not a readable .npz (zip) archive");
    }

    void audio_wav_flac_ogg() {
        auto wav = load_dataset(fixture("audio/stereo16.wav"));
        QVERIFY2(wav.ok(), wav.ok() ? "" : wav.error().message.c_str());
        QCOMPARE(wav->format(), std::string("audio"));
        QCOMPARE(wav->dtype(), std::string("int16"));
        QCOMPARE(wav->size(), 1);
        QCOMPARE(wav->channels(), 2);
        QCOMPARE(wav->length(0), 8);
        auto v = wav->sequence(0).values;
        QCOMPARE(v[2 * 3], 3 * 4096 / 32768.0f);
        QCOMPARE(v[2 * 3 + 1], -3 * 4096 / 32768.0f);
        CHECK_CONTAINS(wav->notes()[0], "8000 Hz, 2 channels");

        // FLAC and OGG written here with libsndfile itself.
        QTemporaryDir dir;
        for (auto [ext, format] : {std::pair{".flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
                                   std::pair{".ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS}}) {
            const auto path = std::filesystem::path(dir.path().toStdString()) / (std::string("tone") + ext);
            SF_INFO info{};
            info.samplerate = 16000;
            info.channels = 3;
            info.format = format;
            SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
            QVERIFY2(f, sf_strerror(nullptr));
            std::vector<float> frames(3 * 1600);
            for (size_t i = 0; i < 1600; ++i)
                for (size_t c = 0; c < 3; ++c) frames[i * 3 + c] = 0.5f * std::sin(0.05f * float(i) * float(c + 1));
            QCOMPARE(sf_writef_float(f, frames.data(), 1600), sf_count_t(1600));
            sf_close(f);
            auto d = load_dataset(path);
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
            QCOMPARE(d->channels(), 3);
            QCOMPARE(d->length(0), 1600);
            QVERIFY(std::abs(d->sequence(0).values[3 * 100 + 1] - frames[3 * 100 + 1]) < 0.05f);
        }

        auto junk = read_audio_bytes(std::vector<std::byte>(64, std::byte{7}), "junk.wav");
        QVERIFY(!junk);
        CHECK_CONTAINS(junk.error().message, "junk.wav: not a readable audio file");
    }

    void loader_dispatch_errors() {
        auto none = load_dataset("/nonexistent/x.npy");
        QVERIFY(!none);
        CHECK_CONTAINS(none.error().message, "cannot open /nonexistent/x.npy");
        QTemporaryDir dir;
        const auto odd = std::filesystem::path(dir.path().toStdString()) / "x.xyz";
        std::ofstream(odd) << "hello";
        auto r = load_dataset(odd);
        QVERIFY(!r);
        CHECK_CONTAINS(r.error().message, "x.xyz: unsupported file type '.xyz'");
        // An .npy under another name is recognised by its magic.
        const auto renamed = std::filesystem::path(dir.path().toStdString()) / "array.bin";
        std::filesystem::copy_file(fixture("npy/f4_c_2x3x4.npy"), renamed);
        QVERIFY(load_dataset(renamed).ok());
    }
};

QTEST_GUILESS_MAIN(TestReaders)
#include "test_readers.moc"
