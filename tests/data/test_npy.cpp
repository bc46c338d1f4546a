// .npy reading (every dtype, byte order, memory order, version) and writing.
#include <cmath>
#include <cstring>
#include <fstream>
#include <vector>

#include "data/dataset_loader.hpp"
#include "data/npy_array.hpp"
#include "data/npy_writer.hpp"
#include "test_helpers.hpp"

using namespace convscope::data;

class TestNpy : public QObject {
    Q_OBJECT

    static NpyArray open_ok(const std::string& name) {
        auto r = NpyArray::open(fixture("npy/" + name));
        if (!r) qFatal("%s", r.error().message.c_str());
        return *r;
    }
    static std::vector<float> all(const NpyArray& a) {
        std::vector<float> v(static_cast<size_t>(a.size()));
        a.read_range(0, v);
        return v;
    }

private slots:
    void c_order_float32() {
        auto a = open_ok("f4_c_2x3x4.npy");
        QCOMPARE(a.shape(), (std::vector<int64_t>{2, 3, 4}));
        QCOMPARE(a.dtype_name(), std::string("float32"));
        QVERIFY(!a.fortran_order());
        QCOMPARE(a.size(), 24);
        auto v = all(a);
        for (int i = 0; i < 24; ++i) QCOMPARE(v[i], float(i));
        QCOMPARE(a.value(17), 17.0f);
        QVERIFY(std::isnan(a.value(24)));
        QVERIFY(std::isnan(a.value(-1)));
    }

    void fortran_order_reads_in_logical_c_order() {
        for (const char* name : {"f4_fortran_2x3x4.npy", "f8_big_fortran_2x3x4.npy"}) {
            auto a = open_ok(name);
            QVERIFY(a.fortran_order());
            QCOMPARE(a.shape(), (std::vector<int64_t>{2, 3, 4}));
            auto v = all(a);
            for (int i = 0; i < 24; ++i) QCOMPARE(v[i], float(i));
            // A range starting mid-array.
            std::vector<float> part(5);
            a.read_range(13, part);
            for (int i = 0; i < 5; ++i) QCOMPARE(part[i], float(13 + i));
        }
        QCOMPARE(open_ok("f8_big_fortran_2x3x4.npy").dtype_name(), std::string("float64"));
    }

    void every_dtype() {
        struct Case { const char* file; const char* dtype; std::vector<float> expected; };
        const std::vector<Case> cases = {
            {"f2.npy", "float16", {0.5f, -2.0f, 65504.0f, 0.0f}},
            {"i1.npy", "int8", {-128, -1, 0, 127}},
            {"i2_2x2.npy", "int16", {-3, 7, 1000, -32768}},
            {"i4_big.npy", "int32", {-100000, 5, 7}},
            {"i8.npy", "int64", {-1099511627776.0f, 3}},
            {"u1.npy", "uint8", {0, 200, 255}},
            {"u2_big.npy", "uint16", {1, 65535}},
            {"u4.npy", "uint32", {4000000000.0f, 1}},
            {"u8_big.npy", "uint64", {0, 1, 2, 3, 4}},
            {"b1.npy", "bool", {1, 0, 1}},
            {"v2_f4.npy", "float32", {1.5f, 2.5f, 3.5f, 4.5f}},
            {"v3_f4.npy", "float32", {9, 8}},
        };
        for (const auto& c : cases) {
            auto a = open_ok(c.file);
            QCOMPARE(a.dtype_name(), std::string(c.dtype));
            QCOMPARE(all(a), c.expected);
        }
        QCOMPARE(open_ok("v2_f4.npy").version(), 2);
        QCOMPARE(open_ok("v3_f4.npy").version(), 3);
    }

    void errors_name_file_and_position() {
        auto r4 = NpyArray::open(fixture("npy/rank4.npy"));
        QVERIFY(!r4);
        CHECK_CONTAINS(r4.error().message, "rank4.npy");
        CHECK_CONTAINS(r4.error().message, "shape (1, 2, 1, 2) has 4 dimensions");

        auto sc = NpyArray::open(fixture("npy/scalar.npy"));
        QVERIFY(!sc);
        CHECK_CONTAINS(sc.error().message, "shape () is a single number");

        auto cx = NpyArray::open(fixture("npy/complex.npy"));
        QVERIFY(!cx);
        CHECK_CONTAINS(cx.error().message, "unsupported dtype '<c8' (complex numbers)");

        auto st = NpyArray::open(fixture("npy/structured.npy"));
        QVERIFY(!st);
        CHECK_CONTAINS(st.error().message, "structured dtypes");
        CHECK_CONTAINS(st.error().message, "byte 20 of the .npy header");

        auto tr = NpyArray::open(fixture("npy/truncated.npy"));
        QVERIFY(!tr);
        CHECK_CONTAINS(tr.error().message, "truncated.npy: header declares shape (1000, 1000) of float64");
        CHECK_CONTAINS(tr.error().message, "only 16 bytes follow the header at byte 128");

        auto bh = NpyArray::open(fixture("npy/bad_header.npy"));
        QVERIFY(!bh);
        CHECK_CONTAINS(bh.error().message, "byte 44 of the .npy header: expected True or False for 'fortran_order', found 'Nope!");

        auto missing = NpyArray::open(fixture("npy/does_not_exist.npy"));
        QVERIFY(!missing);
        CHECK_CONTAINS(missing.error().message, "cannot open");
        CHECK_CONTAINS(missing.error().message, "does_not_exist.npy");

        auto notnpy = NpyArray::from_bytes(std::vector<std::byte>(3, std::byte{'x'}), "mem.npy");
        QVERIFY(!notnpy);
        CHECK_CONTAINS(notnpy.error().message, "mem.npy: not a .npy file (byte 0");
    }

    void huge_declared_shape_does_not_allocate() {
        // 2^62 elements declared over a few bytes: must fail on the size check, not in new[].
        std::string hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }";
        hdr.append(118 - hdr.size() - 1, ' ');
        hdr += '\n';
        std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(118) + char(0) + hdr + std::string(8, '\0');
        std::vector<std::byte> bytes(file.size());
        std::memcpy(bytes.data(), file.data(), file.size());
        auto r = NpyArray::from_bytes(std::move(bytes), "huge.npy");
        QVERIFY(!r);
        CHECK_CONTAINS(r.error().message, "huge.npy: header declares shape (4611686018427387904, 4)");
    }

    void empty_shape_with_huge_axes_is_rejected() {
        // Zero elements fit in any file, but (10^12, 10^12, 0) would still make a
        // dataset of 10^12 empty sequences for every later pass to walk.
        for (const char* shape : {"(1000000000000, 1000000000000, 0)", "(0, 5)"}) {
            std::string hdr = std::string("{'descr': '<f4', 'fortran_order': False, 'shape': ") + shape + ", }";
            hdr.append(118 - hdr.size() - 1, ' ');
            hdr += '\n';
            std::string file = std::string("\x93NUMPY\x01\x00", 8) + char(118) + char(0) + hdr;
            std::vector<std::byte> bytes(file.size());
            std::memcpy(bytes.data(), file.data(), file.size());
            auto r = NpyArray::from_bytes(std::move(bytes), "empty.npy");
            if (std::string(shape) == "(0, 5)") {
                QVERIFY(r.ok());
                QCOMPARE(r->size(), 0);
            } else {
                QVERIFY(!r);
                CHECK_CONTAINS(r.error().message, "empty.npy: header declares the empty shape (1000000000000, 1000000000000, 0)");
            }
        }
    }

    void write_then_read_back() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "out.npy";
        std::vector<float> v(2 * 3 * 5);
        for (size_t i = 0; i < v.size(); ++i) v[i] = float(i) * 0.25f - 1.0f;
        QVERIFY(write_npy(path, {2, 3, 5}, v).ok());
        auto a = open_ok_path(path);
        QCOMPARE(a.shape(), (std::vector<int64_t>{2, 3, 5}));
        QCOMPARE(all(a), v);
        // The data must start on a 64-byte boundary like NumPy's own files.
        std::ifstream in(path, std::ios::binary);
        char pre[10];
        in.read(pre, 10);
        const int hlen = static_cast<unsigned char>(pre[8]) | (static_cast<unsigned char>(pre[9]) << 8);
        QCOMPARE((10 + hlen) % 64, 0);

        const auto mpath = std::filesystem::path(dir.path().toStdString()) / "mask.npy";
        std::vector<uint8_t> m = {1, 0, 7};
        QVERIFY(write_npy_bool(mpath, {3}, m).ok());
        auto ma = open_ok_path(mpath);
        QCOMPARE(ma.dtype_name(), std::string("bool"));
        QCOMPARE(all(ma), (std::vector<float>{1, 0, 1}));

        const auto lpath = std::filesystem::path(dir.path().toStdString()) / "len.npy";
        std::vector<int64_t> l = {80, 120};
        QVERIFY(write_npy_int64(lpath, {2}, l).ok());
        auto la = open_ok_path(lpath);
        QCOMPARE(la.dtype_name(), std::string("int64"));
        QCOMPARE(la.shape(), (std::vector<int64_t>{2}));
        QCOMPARE(all(la), (std::vector<float>{80, 120}));

        auto bad = write_npy(path, {4, 4}, v);
        QVERIFY(!bad);
        CHECK_CONTAINS(bad.error().message, "shape holds 16 elements but 30 values were given");
        // The failed write left the earlier file intact.
        QCOMPARE(open_ok_path(path).size(), 30);
    }

    void dataset_views_of_arrays() {
        auto d3 = load_dataset(fixture("npy/f4_c_2x3x4.npy"));
        QVERIFY(d3.ok());
        QCOMPARE(d3->format(), std::string("npy"));
        QCOMPARE(d3->dtype(), std::string("float32"));
        QCOMPARE(d3->size(), 2);
        QCOMPARE(d3->length(1), 3);
        QCOMPARE(d3->channels(), 4);
        QCOMPARE(*d3->array_shape(), (std::vector<int64_t>{2, 3, 4}));
        auto s = d3->sequence(1);
        QCOMPARE(s.length, 3);
        QCOMPARE(s.channels, 4);
        QCOMPARE(s.values.front(), 12.0f);
        QCOMPARE(s.values.back(), 23.0f);
        QVERIFY(!d3->label(0));

        auto d2 = load_dataset(fixture("npy/i2_2x2.npy"));
        QVERIFY(d2.ok());
        QCOMPARE(d2->size(), 2);
        QCOMPARE(d2->channels(), 1);
        QCOMPARE(d2->sequence(1).values, (std::vector<float>{1000, -32768}));

        auto d1 = load_dataset(fixture("npy/u8_big.npy"));
        QVERIFY(d1.ok());
        QCOMPARE(d1->size(), 1);
        QCOMPARE(d1->length(0), 5);

        auto empty = load_dataset(fixture("npy/empty_0x5.npy"));
        QVERIFY(empty.ok());
        QCOMPARE(empty->size(), 0);

        // Copies share the mapping and outlive the original.
        Dataset copy;
        {
            auto tmp = load_dataset(fixture("npy/f8_big_fortran_2x3x4.npy"));
            copy = *tmp;
        }
        QCOMPARE(copy.sequence(0).values[5], 5.0f);
    }

private:
    static NpyArray open_ok_path(const std::filesystem::path& p) {
        auto r = NpyArray::open(p);
        if (!r) qFatal("%s", r.error().message.c_str());
        return *r;
    }
};

QTEST_GUILESS_MAIN(TestNpy)
#include "test_npy.moc"
