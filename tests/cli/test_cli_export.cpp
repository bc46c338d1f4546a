// convscope-cli export / import: what they write, and messages on bad input.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>
#include <sstream>

#include "export_command.hpp"
#include "interop/stack_json.hpp"

using namespace convscope::cli;

namespace {
struct Run {
    int status;
    std::string out, err;
};
Run call(int (*fn)(const std::vector<std::string>&, std::ostream&, std::ostream&), std::vector<std::string> args) {
    std::ostringstream out, err;
    const int status = fn(args, out, err);
    return {status, out.str(), err.str()};
}
const std::string stack_file = CONVSCOPE_RESOURCES_DIR "/stacks/transposed_input.convscope.json";
const std::string fixtures = CONVSCOPE_SOURCE_DIR "/tests/interop/fixtures/";
}  // namespace

class TestCliExport : public QObject {
    Q_OBJECT
private slots:
    void exports_pytorch_keras_and_json() {
        auto r = call(run_export_command, {stack_file, "--to", "pytorch"});
        QCOMPARE(r.status, 0);
        QVERIFY2(r.out.find("nn.Conv1d(5, 16, kernel_size=5, padding='same')") != std::string::npos, r.out.c_str());
        QVERIFY(r.out.find("if __name__ == \"__main__\":") != std::string::npos);
        r = call(run_export_command, {stack_file, "--to", "keras"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.find("keras.Input(shape=(100, 5)") != std::string::npos);
        r = call(run_export_command, {stack_file, "--to", "json"});
        QCOMPARE(r.status, 0);
        auto parsed = convscope::parse_stack_json(r.out, "stdout");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->layers.size(), size_t(5));
    }

    void writes_the_file_atomically() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.py").toStdString();
        std::ofstream(path) << "old contents";
        auto r = call(run_export_command, {stack_file, "--to", "pytorch", "--out", path});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.empty());
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        QVERIFY2(first.rfind("#", 0) == 0, first.c_str());  // a comment header, not the old contents
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary left behind
        r = call(run_export_command, {stack_file, "--to", "pytorch", "--out", dir.filePath("no/such/dir.py").toStdString()});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.find("no/such/dir.py") != std::string::npos);
    }

    void import_reads_keras_json() {
        auto r = call(run_import_command, {fixtures + "keras2_sequential.json"});
        QCOMPARE(r.status, 0);
        auto got = convscope::parse_stack_json(r.out, "stdout");
        auto expected = convscope::load_stack_file(fixtures + "keras2_sequential.expected.convscope.json");
        QVERIFY(got.ok() && expected.ok());
        QVERIFY(*got == *expected);
        r = call(run_import_command, {fixtures + "error_unknown_class.json"});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.find("error_unknown_class.json") != std::string::npos, r.err.c_str());
    }

    void bad_usage_exits_two() {
        QCOMPARE(call(run_export_command, {stack_file}).status, 2);
        QCOMPARE(call(run_export_command, {stack_file, "--to", "onnx"}).status, 2);
        QCOMPARE(call(run_export_command, {"/nonexistent.json", "--to", "json"}).status, 2);
        QCOMPARE(call(run_import_command, {}).status, 2);
        QCOMPARE(call(run_import_command, {"/nonexistent.json"}).status, 2);
        QCOMPARE(call(run_export_command, {"--help"}).status, 0);
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "test_cli_export.moc"
