// Hostile and damaged data files (issue 10): every input is generated here, and
// each check failed on main (accepted silently, or reported as something else).
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <QElapsedTimer>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "common/limits.hpp"
#include "data/audio_reader.hpp"
#include "data/csv_reader.hpp"
#include "data/dataset_inspector.hpp"
#include "data/dataset_loader.hpp"
#include "data/npz_reader.hpp"
#include "data/text_file.hpp"
#include "data/ts_reader.hpp"
#include "test_helpers.hpp"

using namespace convscope;
using namespace convscope::data;

namespace {

void put16(std::string& s, uint32_t v) { s += char(v & 0xff), s += char((v >> 8) & 0xff); }
void put32(std::string& s, uint32_t v) { put16(s, v & 0xffff), put16(s, v >> 16); }

// A version 1.0 .npy image, C order.
std::string npy_bytes(const std::string& descr, const std::string& shape, const std::string& data) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    std::string s = "\x93NUMPY\x01";
    s += '\0';
    put16(s, static_cast<uint32_t>(dict.size()));
    return s + dict + data;
}
template <class T>
std::string raw(std::initializer_list<T> values) {
    std::string s;
    for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
    return s;
}

// A zip of stored (uncompressed) members, written by hand so that names may repeat
// and a CRC may be wrong: what numpy.savez output looks like after damage.
struct ZipMember {
    std::string name, data;
    bool damage_crc = false;
};
std::string stored_zip(const std::vector<ZipMember>& members) {
    std::string out, central;
    for (const auto& m : members) {
        uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
        if (m.damage_crc) crc ^= 0x00ff00ffu;
        const auto offset = static_cast<uint32_t>(out.size());
        std::string local;
        put32(local, 0x04034b50), put16(local, 20), put16(local, 0), put16(local, 0), put16(local, 0), put16(local, 0);
        put32(local, crc), put32(local, static_cast<uint32_t>(m.data.size())), put32(local, static_cast<uint32_t>(m.data.size()));
        put16(local, static_cast<uint32_t>(m.name.size())), put16(local, 0);
        out += local + m.name + m.data;
        put32(central, 0x02014b50), put16(central, 20), put16(central, 20), put16(central, 0), put16(central, 0);
        put16(central, 0), put16(central, 0), put32(central, crc), put32(central, static_cast<uint32_t>(m.data.size()));
        put32(central, static_cast<uint32_t>(m.data.size())), put16(central, static_cast<uint32_t>(m.name.size()));
        put16(central, 0), put16(central, 0), put16(central, 0), put16(central, 0), put32(central, 0), put32(central, offset);
        central += m.name;
    }
    const auto cd_offset = static_cast<uint32_t>(out.size());
    out += central;
    put32(out, 0x06054b50), put16(out, 0), put16(out, 0), put16(out, static_cast<uint32_t>(members.size()));
    put16(out, static_cast<uint32_t>(members.size())), put32(out, static_cast<uint32_t>(central.size()));
    put32(out, cd_offset), put16(out, 0);
    return out;
}
std::span<const std::byte> as_bytes(const std::string& s) { return std::as_bytes(std::span(s.data(), s.size())); }

void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A PCM WAV whose header declares `declared_frames` but holds `frames` (mono).
std::string wav_bytes(int bits, int container_bytes, uint32_t declared_frames, uint32_t frames) {
    std::string s = "RIFF";
    put32(s, 36 + declared_frames * container_bytes);
    s += "WAVEfmt ";
    put32(s, 16), put16(s, 1), put16(s, 1), put32(s, 8000), put32(s, 8000 * container_bytes);
    put16(s, container_bytes), put16(s, bits);
    s += "data";
    put32(s, declared_frames * container_bytes);
    for (uint32_t i = 0; i < frames * container_bytes; ++i) s += char(i % 2 ? 0x10 : 0x70);
    return s;
}

const Finding* find(const InspectionReport& r, const std::string& text) {
    for (const auto& f : r.findings)
        if (contains(f.message, text)) return &f;
    return nullptr;
}

}  // namespace

class TestHostileData : public QObject {
    Q_OBJECT
private slots:
    void npz_crc_is_checked() {
        const std::string good = npy_bytes("<f4", "(2, 3, 1)", raw<float>({1, 2, 3, 4, 5, 6}));
        const std::string zip_ok = stored_zip({{"x.npy", good}});
        QVERIFY(read_npz_array_bytes(as_bytes(zip_ok), "ok.npz", "x").ok());
        // The recorded CRC-32 no longer matches the data: numpy raises BadZipFile, so must we.
        const std::string zip_bad = stored_zip({{"y.npy", good}, {"x.npy", good, true}});
        auto r = read_npz_array_bytes(as_bytes(zip_bad), "bad.npz", "x");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "bad.npz:x");
        CHECK_CONTAINS(r.error().message, "CRC-32");
        // The intact member still reads.
        QVERIFY(read_npz_array_bytes(as_bytes(zip_bad), "bad.npz", "y").ok());
        // Data flipped after the CRC was written, through the file loader too.
        QTemporaryDir dir;
        std::string flipped = zip_ok;
        flipped[flipped.find(good) + good.size() - 1] ^= 0x40;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "flipped.npz";
        write_file(path, flipped);
        auto d = load_dataset(path);
        QVERIFY(!d.ok());
        CHECK_CONTAINS(d.error().message, path.string() + ":x");
        CHECK_CONTAINS(d.error().message, "CRC-32");
    }

    void numpy_made_hostile_npz_seeds() {
        // Written by numpy + zipfile (tests/fuzz/make_hostile_seeds.py): numpy itself refuses the first
        // ("Bad CRC-32 for file 'x.npy'") and silently reads the second copy of the second.
        const std::filesystem::path seeds = std::filesystem::path(CONVSCOPE_SOURCE_DIR) / "tests/fuzz/seeds/npz";
        auto crc = load_dataset(seeds / "crc_damaged.npz");
        QVERIFY(!crc.ok());
        CHECK_CONTAINS(crc.error().message, "crc_damaged.npz:x");
        CHECK_CONTAINS(crc.error().message, "CRC-32");
        auto dup = load_dataset(seeds / "duplicate_member.npz");
        QVERIFY(!dup.ok());
        CHECK_CONTAINS(dup.error().message, "duplicate_member.npz:x");
        CHECK_CONTAINS(dup.error().message, "two members named 'x.npy'");
        // The reader's own seeds stay readable.
        QVERIFY(load_dataset(seeds / "stored.npz").ok());
        QVERIFY(load_dataset(seeds / "deflated.npz").ok());
    }

    void npz_duplicate_members_are_refused() {
        const std::string a = npy_bytes("<f4", "(1, 2, 1)", raw<float>({1, 2}));
        const std::string b = npy_bytes("<f4", "(1, 2, 1)", raw<float>({3, 4}));
        const std::string zip = stored_zip({{"x.npy", a}, {"x.npy", b}});
        auto r = read_npz_array_bytes(as_bytes(zip), "dup.npz", "x");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "dup.npz:x");
        CHECK_CONTAINS(r.error().message, "two members named 'x.npy'");
        auto l = list_npz_bytes(as_bytes(zip), "dup.npz");
        QVERIFY(!l.ok());
        CHECK_CONTAINS(l.error().message, "x.npy");
    }

    void float64_beyond_float32_is_not_infinity() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "huge.npy";
        const double inf = std::numeric_limits<double>::infinity();
        write_file(path, npy_bytes("<f8", "(1, 3, 2)", raw<double>({1e308, 1.0, -1e300, 2.0, inf, 3.0})));
        auto d = load_dataset(path);
        QVERIFY(d.ok());
        const auto r = inspect(*d);
        QCOMPARE(r.out_of_range_count, int64_t{2});
        QCOMPARE(r.inf_count, int64_t{1});
        QCOMPARE(r.channel_stats[0].out_of_range_count, int64_t{2});
        QCOMPARE(r.channel_stats[0].inf_count, int64_t{1});
        QVERIFY(r.first_out_of_range && r.first_out_of_range->step == 0);
        const Finding* f = find(r, "out of float32 range");
        QVERIFY(f);
        CHECK_CONTAINS(f->message, "2 values");
        CHECK_CONTAINS(f->message, "sequence 0, step 0, channel 0");
        QVERIFY(find(r, "1 infinite value"));
        QCOMPARE(r.to_json()["out_of_range_count"].get<int64_t>(), int64_t{2});
    }

    void text_beyond_float32_is_not_infinity() {
        // 1e39 is a finite number in the text but not a float32; "inf" is a real infinity.
        for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
                 {"big.csv", "a\n1e39\n-2e40\ninf\n4\n"},
                 {"big.ts", "@univariate true\n@data\n1e39,-2e40,inf,4\n"}}) {
            auto d = contains(name, ".ts") ? read_ts_text(text, name) : read_csv_text(text, name);
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
            const auto r = inspect(*d);
            QCOMPARE(r.out_of_range_count, int64_t{2});
            QCOMPARE(r.inf_count, int64_t{1});
            QVERIFY(find(r, "2 values are out of float32 range"));
        }
    }

    void channel_without_finite_values_has_no_stats() {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        auto d = read_csv_text("a,b\n1,nan\n2,nan\n3,inf\n", "nofinite.csv");
        QVERIFY(d.ok());
        const auto r = inspect(*d);
        QVERIFY(r.channel_stats[0].has_values());
        QVERIFY(!r.channel_stats[1].has_values());
        const auto j = r.to_json();
        QVERIFY(j["channel_stats"][1]["min"].is_null());
        QVERIFY(j["channel_stats"][1]["max"].is_null());
        QVERIFY(j["channel_stats"][1]["mean"].is_null());
        QVERIFY(j["channel_stats"][1]["std"].is_null());
        QCOMPARE(j["channel_stats"][0]["max"].get<double>(), 3.0);
        (void)nan;
    }

    void empty_axes_are_a_finding() {
        QTemporaryDir dir;
        for (const std::string shape : {"(2, 10, 0)", "(2, 0, 3)", "(0, 10, 3)"}) {
            const auto path = std::filesystem::path(dir.path().toStdString()) / "empty.npy";
            write_file(path, npy_bytes("<f4", shape, ""));
            auto d = load_dataset(path);
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
            const auto r = inspect(*d);
            QVERIFY2(!r.findings.empty(), shape.c_str());
            QVERIFY(r.has_errors());
            CHECK_CONTAINS(r.findings.front().message, "holds no values");
            CHECK_CONTAINS(r.findings.front().message, shape);
        }
    }

    void truncated_wav_gets_a_note() {
        // The header declares 8000 frames of 16 bits; only 1478 are there.
        const std::string wav = wav_bytes(16, 2, 8000, 1478);
        auto d = read_audio_bytes(as_bytes(wav), "cut.wav");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QCOMPARE(d->length(0), int64_t{1478});
        std::string notes;
        for (const auto& n : d->notes()) notes += n + "\n";
        CHECK_CONTAINS(notes, "cut.wav: truncated");
        CHECK_CONTAINS(notes, "8000 frames");
        CHECK_CONTAINS(notes, "1478");
        // A complete file has no such note.
        auto whole = read_audio_bytes(as_bytes(wav_bytes(16, 2, 1478, 1478)), "whole.wav");
        QVERIFY(whole.ok());
        for (const auto& n : whole->notes()) QVERIFY2(!contains(n, "truncated") && !contains(n, "bit depth"), n.c_str());
    }

    void unusual_bit_depth_gets_a_note() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "seven.wav";
        write_file(path, wav_bytes(7, 1, 400, 400));
        auto d = read_audio(path);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        std::string notes;
        for (const auto& n : d->notes()) notes += n + "\n";
        CHECK_CONTAINS(notes, path.string() + ": unusual bit depth: 7-bit");
    }

    void ts_regression_targets_are_not_classes() {
        const std::string ts = "@problemName reg\n@univariate true\n@targetLabel true\n@data\n"
                               "1,2,3:0.5\n4,5,6:1.25\n7,8,9:0.5\n";
        auto d = read_ts_text(ts, "reg.ts");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QVERIFY(d->labels_are_targets());
        const auto r = inspect(*d);
        QVERIFY(r.classes.empty());
        QVERIFY(r.targets.has_value());
        QCOMPARE(r.targets->count, int64_t{3});
        QCOMPARE(r.targets->min, 0.5);
        QCOMPARE(r.targets->max, 1.25);
        QVERIFY(!find(r, "same label") && !find(r, "imbalance"));
        QVERIFY(r.to_json()["targets"].is_object());
        auto bad = read_ts_text("@targetLabel true\n@data\n1,2:abc\n", "reg.ts");
        QVERIFY(!bad.ok());
        CHECK_CONTAINS(bad.error().message, "reg.ts: line 3");
        CHECK_CONTAINS(bad.error().message, "regression target");
    }

    void ts_equal_length_is_enforced() {
        const std::string ts = "@univariate true\n@equalLength true\n@classLabel true a b\n@data\n"
                               "1,2,3:a\n4,5,6:b\n7,8:a\n";
        auto d = read_ts_text(ts, "eq.ts");
        QVERIFY(!d.ok());
        CHECK_CONTAINS(d.error().message, "eq.ts: line 7");
        CHECK_CONTAINS(d.error().message, "@equalLength true");
        CHECK_CONTAINS(d.error().message, "line 5");
        QVERIFY(read_ts_text("@equalLength false\n@data\n1,2,3\n4,5\n", "ok.ts").ok());
    }

    void text_readers_refuse_special_files() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        const auto fifo = root / "pipe.csv";
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        QElapsedTimer timer;
        timer.start();
        auto r = load_dataset(fifo);  // on main this waited for a writer forever
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, fifo.string());
        CHECK_CONTAINS(r.error().message, "FIFO");
        auto direct = read_csv(fifo);
        QVERIFY(!direct.ok());
        CHECK_CONTAINS(direct.error().message, "not a regular file");
        QVERIFY(!read_ts(fifo).ok());
        QVERIFY(!NpyArray::open(fifo).ok());
        QVERIFY(timer.elapsed() < 5000);
        // /dev/zero named .csv grew to 4 GB on main.
        const auto zero = root / "zero.csv";
        std::filesystem::create_symlink("/dev/zero", zero);
        r = load_dataset(zero);
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "character device");
        QVERIFY(!read_csv(zero).ok());
    }

    void text_readers_cap_the_size() {
        QTemporaryDir dir;
        const auto big = std::filesystem::path(dir.path().toStdString()) / "big.csv";
        write_file(big, "a,b\n1,2\n");
        // A sparse file one byte over the cap: no disk used, but the reader must not take it whole.
        std::filesystem::resize_file(big, static_cast<uintmax_t>(limits::kMaxTextFileBytes) + 1);
        auto r = read_csv(big);
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, big.string());
        CHECK_CONTAINS(r.error().message, std::to_string(limits::kMaxTextFileBytes) + "-byte limit");
    }

    void cr_only_line_ends_are_lines() {
        auto d = read_csv_text("a,b\r1,2\r3,4\r5,6\r", "mac.csv");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QCOMPARE(d->length(0), int64_t{3});
        QCOMPARE(d->channels(), int64_t{2});
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "mac.ts";
        write_file(path, "@univariate true\r@data\r1,2,3\r4,5,6\r");
        auto t = read_ts(path);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());
        QCOMPARE(t->size(), int64_t{2});
    }

    void binary_content_is_not_a_header_row() {
        std::string bin = "\x89PNG\r\n\x1a\n";
        bin += std::string("\0\0\0\rIHDR", 8);
        auto r = read_csv_text(bin, "image.csv");
        QVERIFY(!r.ok());
        CHECK_CONTAINS(r.error().message, "image.csv: this is not a text file");
        QVERIFY(!contains(r.error().message, "header row"));
        auto u = read_csv_text("a,b\n1,\xff\xfe\n", "latin.csv");
        QVERIFY(!u.ok());
        CHECK_CONTAINS(u.error().message, "invalid UTF-8 at byte 6");
        // Real UTF-8 (a header in Greek) is text.
        QVERIFY(read_csv_text("\xce\xb1,\xce\xb2\n1,2\n", "greek.csv").ok());
    }

    void long_numbers_are_numbers() {
        // More than 64 characters, all valid: "expected a number" on main.
        const std::string pi = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899";
        const std::string big = "1" + std::string(30, '0') + "." + std::string(40, '0');
        auto d = read_csv_text("x\n" + pi + "\n" + big + "\n1e-400\n", "long.csv");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        const auto s = d->sequence(0);
        QCOMPARE(s.values[0], 3.14159265f);
        QCOMPARE(s.values[1], 1e30f);
        QCOMPARE(s.values[2], 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestHostileData)
#include "test_hostile_data.moc"
