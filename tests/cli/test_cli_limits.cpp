// Work and memory limits of run and pad: refused up front with the size and the
// layer, a note and progress for long runs, and Ctrl+C that stops a long run
// cleanly (exit 130, no output, no temporary file), driven through the real binary.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "data/npy_writer.hpp"
#include "cli_test_support.hpp"

using namespace convscope;
namespace fs = std::filesystem;

namespace {
CommandOutcome run(std::vector<std::string> args) { return run_command("run", std::move(args)); }
CommandOutcome pad(std::vector<std::string> args) { return run_command("pad", std::move(args)); }
const std::string kStack = CONVSCOPE_RESOURCES_DIR "/stacks/sensor_classifier.convscope.json";
const std::string kData = CONVSCOPE_RESOURCES_DIR "/samples/sensor_recording.csv";
const std::string kRagged = CONVSCOPE_RESOURCES_DIR "/samples/ragged_80_120.ts";

// One Conv1D over a (1, length, 1) signal.
void write_long_conv(const fs::path& stack, const fs::path& data, int64_t length, int64_t filters, int64_t kernel) {
    std::ofstream(stack) << "{\"data_format\": \"channels_last\", \"layers\": [{\"type\": \"Conv1D\", \"name\": \"long_kernel\", "
                            "\"filters\": " << filters << ", \"kernel_size\": " << kernel << ", \"use_bias\": false}]}";
    std::vector<float> x(static_cast<size_t>(length), 0.5f);
    if (!data::write_npy(data, {1, length, 1}, x)) qFatal("cannot write %s", data.c_str());
}
}  // namespace

class TestCliLimits : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    fs::path at(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

private slots:
    void run_beyond_the_memory_limit_is_refused_naming_the_layer() {
        const auto r = run({kStack, "--input", kData, "--out", at("y.npy").string(), "--max-memory", "4K"});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "needs about"));
        QVERIFY(contains_text(r.err, "the limit set is 4.00 KB"));
        QVERIFY(contains_text(r.err, "its largest output is layer \""));
        QVERIFY(contains_text(r.err, "--max-memory"));
        QVERIFY(!fs::exists(at("y.npy")));
        // The same run fits the machine.
        QCOMPARE(run({kStack, "--input", kData, "--out", at("y.npy").string()}).status, 0);
        QCOMPARE(run({kStack, "--input", kData, "--out", at("y.npy").string(), "--max-memory", "lots"}).status, 2);
    }

    void hours_of_work_need_force() {
        // 20,000 filters of 10,000 taps over a million steps: 2e14 multiply-adds, an 80 GB output.
        write_long_conv(at("huge.json"), at("signal.npy"), 1000000, 20000, 10000);
        auto r = run({at("huge.json").string(), "--input", at("signal.npy").string(), "--out", at("h.npy").string()});
        QCOMPARE(r.status, 2);  // too large for this machine's memory, or for a --max-memory below
        QVERIFY(contains_text(r.err, "layer \"long_kernel\" (Conv1D)"));
        r = run({at("huge.json").string(), "--input", at("signal.npy").string(), "--out", at("h.npy").string(),
                 "--max-memory", "100T"});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "about 2.0e+14 multiply-adds, most in layer \"long_kernel\""));
        QVERIFY(contains_text(r.err, "--force"));
    }

    void pad_refuses_impossible_lengths_up_front() {
        auto r = pad({kRagged, "--out", at("p.npy").string(), "--maxlen", "1e12"});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "the padded batch of 8 sequences x 1000000000000 steps"));
        QVERIFY(contains_text(r.err, "of memory is available on this machine"));
        QVERIFY(r.err.find("bad_alloc") == std::string::npos);
        r = pad({kRagged, "--out", at("p.npy").string(), "--maxlen", "1e8", "--max-memory", "1G"});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "needs about 6.71 GB, but the limit set is 1.00 GB"));
        r = pad({kRagged, "--out", at("p.npy").string(), "--maxlen", "9223372036854775807"});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "overflows 64 bits"));
        QVERIFY(!fs::exists(at("p.npy")));
        QCOMPARE(pad({kRagged, "--out", at("p.npy").string(), "--maxlen", "1e3"}).status, 0);
    }

    void ctrl_c_stops_a_long_run_cleanly() {
        // A million-tap kernel over two million steps: 1e12 multiply-adds, minutes of work.
        write_long_conv(at("slow.json"), at("long.npy"), 2000000, 1, 1000000);
        QProcess p;
        p.start(CONVSCOPE_CLI_BINARY, {"run", QString::fromStdString(at("slow.json").string()), "--input",
                                       QString::fromStdString(at("long.npy").string()), "--out",
                                       QString::fromStdString(at("slow_out.npy").string())});
        QVERIFY(p.waitForStarted());
        QByteArray err;
        for (int i = 0; i < 300 && !err.contains("multiply-adds"); ++i) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("about 1.0e+12 multiply-adds"), err.constData());
        for (int i = 0; i < 300 && !err.contains("output steps"); ++i) {  // the first progress line, after a second
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
        }
        QVERIFY2(err.contains("output steps"), err.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        err += p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains("interrupted during the streamed run"), err.constData());
        QVERIFY(!fs::exists(at("slow_out.npy")));
        for (const auto& e : fs::directory_iterator(at("")))
            QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
    }
};

QTEST_GUILESS_MAIN(TestCliLimits)
#include "test_cli_limits.moc"
