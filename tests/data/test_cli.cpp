// The inspect and pad subcommands, called as functions with string streams.
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "data/npy_array.hpp"
#include "inspect_command.hpp"
#include "pad_command.hpp"
#include "test_helpers.hpp"

using convscope::cli::run_inspect_command;
using convscope::cli::run_pad_command;

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void inspect_json() {
        std::ostringstream out, err;
        const int rc = run_inspect_command({sample("broken_transposed.npy").string(), "--json"}, out, err);
        QCOMPARE(rc, 0);
        QVERIFY(err.str().empty());
        const auto j = nlohmann::json::parse(out.str());
        // Stored (16, 3, 200), guessed channels_first: 3 channels of 200 steps (issue 9).
        QCOMPARE(j["count"].get<int64_t>(), 16);
        QCOMPARE(j["channels"].get<int64_t>(), 3);
        QCOMPARE(j["channel_stats"].size(), size_t(3));
        QCOMPARE(j["shape"], nlohmann::json({16, 3, 200}));
        QCOMPARE(j["dtype"].get<std::string>(), std::string("float32"));
        QCOMPARE(j["lengths"]["min"].get<int64_t>(), 200);
        QCOMPARE(j["lengths"]["max"].get<int64_t>(), 200);
        QCOMPARE(j["lengths"]["median"].get<double>(), 200.0);
        QCOMPARE(j["read_as"]["summary"].get<std::string>(), std::string("16 sequences of 200 steps x 3 channels"));
        QCOMPARE(j["nan_count"].get<int64_t>(), 5);
        QCOMPARE(j["inf_count"].get<int64_t>(), 0);
        QCOMPARE(j["time_axis_guess"]["time_axis"].get<int>(), 2);
        QCOMPARE(j["time_axis_guess"]["layout"].get<std::string>(), std::string("channels_first"));
        bool nan_error = false;
        for (const auto& f : j["findings"])
            nan_error |= f["severity"] == "error" && contains(f["message"].get<std::string>(), "NaN") &&
                         !f["fix"].get<std::string>().empty();
        QVERIFY(nan_error);
    }

    void inspect_text() {
        std::ostringstream out, err;
        QCOMPARE(run_inspect_command({sample("ragged_labelled.ts").string()}, out, err), 0);
        CHECK_CONTAINS(out.str(), "20 sequences, 2 channels, length min");
        CHECK_CONTAINS(out.str(), "classes: sawtooth=6 sine=7 square=7");
        CHECK_CONTAINS(out.str(), "[warning] Sequence lengths range from");
        CHECK_CONTAINS(out.str(), "fix: Pad with `convscope-cli pad");
    }

    void inspect_text_has_no_stats_for_a_channel_without_values() {
        // Channel 'b' holds only NaN: its min/max/mean/std are "n/a", not 0 (issue 10).
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "nan_channel.csv";
        std::ofstream(path) << "a,b\n1,nan\n2,nan\n3,nan\n";
        std::ostringstream out, err;
        QCOMPARE(run_inspect_command({path.string()}, out, err), 0);
        const std::string text = out.str();
        const auto row = text.substr(text.find("  1        b"), 80);
        CHECK_CONTAINS(row, "n/a");
        QVERIFY2(!contains(row, " 0 "), row.c_str());
        std::ostringstream jout, jerr;
        QCOMPARE(run_inspect_command({path.string(), "--json"}, jout, jerr), 0);
        const auto j = nlohmann::json::parse(jout.str());
        QVERIFY(j["channel_stats"][1]["mean"].is_null());
        QCOMPARE(j["channel_stats"][0]["mean"].get<double>(), 2.0);
    }

    void inspect_usage_and_bad_input() {
        std::ostringstream out, err;
        QCOMPARE(run_inspect_command({"--help"}, out, err), 0);
        CHECK_CONTAINS(out.str(), "usage: convscope-cli inspect DATA [--json]");
        std::ostringstream o2, e2;
        QCOMPARE(run_inspect_command({}, o2, e2), 2);
        CHECK_CONTAINS(e2.str(), "missing DATA path");
        std::ostringstream o3, e3;
        QCOMPARE(run_inspect_command({"a.npy", "--frobnicate"}, o3, e3), 2);
        CHECK_CONTAINS(e3.str(), "unknown option '--frobnicate'");
        std::ostringstream o4, e4;
        QCOMPARE(run_inspect_command({fixture("npy/truncated.npy").string()}, o4, e4), 2);
        CHECK_CONTAINS(e4.str(), "truncated.npy: header declares shape (1000, 1000)");
        QVERIFY(o4.str().empty());
    }

    void pad_writes_batch_mask_lengths() {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        std::ostringstream out, err;
        const int rc = run_pad_command({sample("ragged_80_120.ts").string(), "--out", base + "/x.npy", "--maxlen", "100",
                                        "--padding", "post", "--truncating", "post", "--value", "-1",
                                        "--mask-out", base + "/m.npy", "--lengths-out", base + "/l.npy"},
                                       out, err);
        QVERIFY2(rc == 0, err.str().c_str());
        CHECK_CONTAINS(out.str(), "float32 (8, 100), padding post, truncating post, value -1");
        CHECK_CONTAINS(out.str(), "4 sequences were longer than 100");
        auto x = convscope::data::NpyArray::open(base + "/x.npy");
        QVERIFY(x.ok());
        QCOMPARE(x->shape(), (std::vector<int64_t>{8, 100}));
        QCOMPARE(x->value(80), -1.0f);      // sequence 0 has 80 steps: step 80 is padding
        QVERIFY(x->value(79) != -1.0f);
        auto m = convscope::data::NpyArray::open(base + "/m.npy");
        QVERIFY(m.ok());
        QCOMPARE(m->dtype_name(), std::string("bool"));
        QCOMPARE(m->value(79), 1.0f);
        QCOMPARE(m->value(80), 0.0f);
        QCOMPARE(m->value(100 + 99), 1.0f);
        auto l = convscope::data::NpyArray::open(base + "/l.npy");
        QVERIFY(l.ok());
        QCOMPARE(l->value(0), 80.0f);
        QCOMPARE(l->value(1), 120.0f);
    }

    void pad_multichannel_default_maxlen() {
        QTemporaryDir dir;
        const std::string target = dir.path().toStdString() + "/x.npy";
        std::ostringstream out, err;
        QCOMPARE(run_pad_command({sample("ragged_labelled.ts").string(), "--out", target}, out, err), 0);
        auto x = convscope::data::NpyArray::open(target);
        QVERIFY(x.ok());
        QCOMPARE(x->shape().size(), size_t(3));
        QCOMPARE(x->shape()[0], 20);
        QCOMPARE(x->shape()[2], 2);
        QVERIFY(x->shape()[1] >= 110 && x->shape()[1] <= 120);
    }

    void pad_usage_errors() {
        struct Case { std::vector<std::string> args; const char* expected; };
        const std::string ts = sample("ragged_80_120.ts").string();
        const std::vector<Case> cases = {
            {{ts}, "missing --out X.npy"},
            {{"--out", "/tmp/x.npy"}, "missing DATA path"},
            {{ts, "--out", "/tmp/x.npy", "--maxlen", "0"}, "--maxlen expects a whole number of at least 1, got '0'"},
            {{ts, "--out", "/tmp/x.npy", "--maxlen", "12abc"}, "--maxlen expects a whole number"},
            {{ts, "--out", "/tmp/x.npy", "--padding", "middle"}, "--padding expects pre or post, got 'middle'"},
            {{ts, "--out", "/tmp/x.npy", "--value", "zero"}, "--value expects a number, got 'zero'"},
            {{ts, "--out"}, "--out needs a value"},
            {{ts, "--out", ts}, "refusing to overwrite the input"},
            {{ts, "--out", "/tmp/x.npy", "--mask-out", "/tmp/x.npy"}, "must be different files"},
            {{"/nonexistent/data.npy", "--out", "/tmp/x.npy"}, "cannot open /nonexistent/data.npy"},
            {{ts, "--out", "/nonexistent/dir/x.npy"}, "cannot write /nonexistent/dir/x.npy"},
        };
        for (const auto& c : cases) {
            std::ostringstream out, err;
            QCOMPARE(run_pad_command(c.args, out, err), 2);
            CHECK_CONTAINS(err.str(), c.expected);
        }
        std::ostringstream out, err;
        QCOMPARE(run_pad_command({"--help"}, out, err), 0);
        CHECK_CONTAINS(out.str(), "[--mask-out M.npy] [--lengths-out L.npy]");
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
