// convscope-cli explain: exit statuses, the JSON contract, stdin/--file input, limits.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "explain_command.hpp"
#include "explain/explain.hpp"

using convscope::cli::run_explain_command;
using nlohmann::json;

namespace {
struct Run {
    int status;
    std::string out, err;
};
Run explain(std::vector<std::string> args, const std::string& stdin_text = {}) {
    std::ostringstream out, err;
    std::istringstream in(stdin_text);
    const int status = run_explain_command(args, out, err, in);
    return {status, out.str(), err.str()};
}
const std::string stacks = CONVSCOPE_RESOURCES_DIR "/stacks/";
const std::string kTorch =
    "RuntimeError: Given groups=1, weight of size [16, 5, 3], expected input[32, 100, 5] to have 5 channels, but got 100 channels instead";
}  // namespace

class TestCliExplain : public QObject {
    Q_OBJECT
private slots:
    void recognisedExitsZero() {
        auto r = explain({kTorch});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("Transposed input") != std::string::npos);
        QVERIFY(r.out.find("x = x.permute(0, 2, 1)") != std::string::npos);
        QVERIFY(r.out.find("Axis:     1 (channels)") != std::string::npos);
    }

    void unquotedWordsAreJoined() {
        auto r = explain({"mat1", "and", "mat2", "shapes", "cannot", "be", "multiplied", "(32x1600", "and", "100x10)"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("in_features=1600") != std::string::npos);
    }

    void notRecognisedExitsOne() {
        auto r = explain({"RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"});
        QCOMPARE(r.status, 1);
        QVERIFY(r.out.find("Not recognised") != std::string::npos);
        QVERIFY(r.out.find("mat1 and mat2 shapes cannot be multiplied") != std::string::npos);  // what was looked for
        auto j = json::parse(explain({"KeyError: 'x'", "--json"}).out);
        QCOMPARE(j["recognised"], json(false));
        QVERIFY(j["looked_for"].size() >= 25);
        QVERIFY(j["fixes"].empty());
    }

    void jsonContract() {
        auto r = explain({kTorch, "--json"});
        QCOMPARE(r.status, 0);
        const json j = json::parse(r.out);
        for (const char* key : {"recognised", "framework", "kind", "shapes", "expected", "actual", "axis", "role", "explanation", "fixes"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["recognised"], json(true));
        QCOMPARE(j["framework"], json("PyTorch"));
        QCOMPARE(j["kind"], json("conv-channel-mismatch"));
        QCOMPARE(j["shapes"], json::parse("[[16, 5, 3], [32, 100, 5]]"));
        QCOMPARE(j["expected"], json(5));
        QCOMPARE(j["actual"], json(100));
        QCOMPARE(j["axis"], json(1));
        QCOMPARE(j["role"], json("channels"));
        QVERIFY(j["fixes"][0]["description"].get<std::string>().find("permute") != std::string::npos);
        QVERIFY(!j["fixes"][0].contains("stack"));  // no stack given
    }

    void withStackFixesCarryTheirStack() {
        // PyTorch's words for channels_last data reaching the stack's first Conv1d(in_channels=4).
        const std::string msg = "Given groups=1, weight of size [16, 4, 3], expected input[32, 100, 4] to have 4 channels, "
                                "but got 100 channels instead";
        auto r = explain({msg, "--stack", stacks + "dense_without_flatten.convscope.json", "--json"});
        QCOMPARE(r.status, 0);
        const json j = json::parse(r.out);
        QCOMPARE(j["stack"]["layer"], json(0));
        QCOMPARE(j["stack"]["layer_name"], json("conv1"));
        QCOMPARE(j["stack"]["agrees"], json(true));
        QCOMPARE(j["stack"]["trace"]["steps"][0]["actual"], json::parse("[32, 100, 4]"));
        QCOMPARE(j["fixes"][0]["source"], json("trace"));
        QVERIFY(j["fixes"][0]["stack"].contains("layers"));
        QCOMPARE(j["fixes"].back()["source"], json("message"));
        auto text = explain({msg, "--stack", stacks + "dense_without_flatten.convscope.json"});
        QVERIFY(text.out.find("Verified fixes") != std::string::npos);
        QVERIFY(text.out.find("layer 0 (\"conv1\", Conv1D)") != std::string::npos);
    }

    void stdinAndFile() {
        auto r = explain({"-"}, "Traceback (most recent call last):\n  File \"x.py\", line 1\n" + kTorch + "\n");
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("line 3") != std::string::npos);
        QTemporaryDir dir;
        const std::string path = dir.filePath("tb.txt").toStdString();
        std::ofstream(path) << kTorch;
        QCOMPARE(explain({"--file", path}).status, 0);
    }

    void badUsageExitsTwo() {
        QCOMPARE(explain({}).status, 2);
        QCOMPARE(explain({"--file"}).status, 2);
        QCOMPARE(explain({"--bogus", kTorch}).status, 2);
        QCOMPARE(explain({kTorch, "-"}).status, 2);
        auto missing = explain({"--file", "/nonexistent/tb.txt"});
        QCOMPARE(missing.status, 2);
        QVERIFY(missing.err.find("/nonexistent/tb.txt") != std::string::npos);
        auto bad_stack = explain({kTorch, "--stack", "/nonexistent/s.json"});
        QCOMPARE(bad_stack.status, 2);
        auto help = explain({"--help"});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.find("Usage: convscope-cli explain") != std::string::npos);
    }

    void oversizedInputIsRefused() {
        auto r = explain({"-"}, std::string(convscope::explain::kMaxExplainBytes + 10, 'x'));
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.find("1 MiB") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCliExplain)
#include "test_cli_explain.moc"
