// Files the CLI writes: --out never names one of the command's inputs (also
// through a symbolic or hard link), the atomic writer follows links, keeps
// modes and writes devices in place, a missing folder is found before the work,
// and a signal during a write leaves no temporary file.
#include <QtTest>

#include <QTemporaryDir>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_test_support.hpp"
#include "common/atomic_write.hpp"
#include "common/pending_temp_files.hpp"
#include "interrupt.hpp"

using namespace convscope;
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string kStack = CONVSCOPE_RESOURCES_DIR "/stacks/sensor_classifier.convscope.json";
const std::string kData = CONVSCOPE_RESOURCES_DIR "/samples/sensor_recording.csv";

}  // namespace

class TestCliOutputFiles : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    fs::path at(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }
    // A private copy of a file, so a failing test cannot damage the resources.
    fs::path copy(const std::string& from, const std::string& name) const {
        fs::copy_file(from, at(name), fs::copy_options::overwrite_existing);
        return at(name);
    }

private slots:
    void run_refuses_to_overwrite_its_inputs() {
        const auto stack = copy(kStack, "s.convscope.json");
        const auto data = copy(kData, "d.csv");
        const auto weights = copy(CONVSCOPE_SOURCE_DIR "/tests/golden/forward/conv1d_torch.npz", "w.npz");
        fs::create_symlink(data, at("link_to_data.npy"));
        fs::create_hard_link(weights, at("hard_link_to_weights.npy"));
        const std::string data_before = read_all(data), weights_before = read_all(weights), stack_before = read_all(stack);
        struct Case { fs::path out; const char* role; std::vector<std::string> extra; };
        const std::vector<Case> cases = {
            {data, "--input", {}},
            {stack, "STACK.json", {}},
            {at("link_to_data.npy"), "--input", {}},
            {at("hard_link_to_weights.npy"), "--weights", {"--weights", weights.string()}},
            {weights, "--weights", {"--weights", weights.string()}},
        };
        for (const auto& c : cases) {
            std::vector<std::string> args{stack.string(), "--input", data.string(), "--out", c.out.string()};
            args.insert(args.end(), c.extra.begin(), c.extra.end());
            const auto r = run_command("run", args);
            QCOMPARE(r.status, 2);
            QVERIFY(contains_text(r.err, "refusing to overwrite the input " + std::string(c.role)));
        }
        QCOMPARE(read_all(data), data_before);
        QCOMPARE(read_all(weights), weights_before);
        QCOMPARE(read_all(stack), stack_before);
        QVERIFY(fs::is_symlink(at("link_to_data.npy")));
    }

    void export_and_import_refuse_their_inputs_and_an_empty_name() {
        const auto stack = copy(kStack, "e.convscope.json");
        const std::string before = read_all(stack);
        fs::create_symlink(stack, at("e_link.json"));
        for (const auto& to : {"json", "pytorch"}) {
            auto r = run_command("export", {stack.string(), "--to", to, "--out", at("e_link.json").string()});
            QCOMPARE(r.status, 2);
            QVERIFY(contains_text(r.err, "refusing to overwrite the input STACK.json"));
        }
        auto r = run_command("export", {stack.string(), "--to", "json", "--out", ""});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "--out needs a file name"));
        QVERIFY(r.out.empty());  // nothing went to standard output instead
        QCOMPARE(read_all(stack), before);

        const auto model = at("model.json");
        std::ofstream(model) << R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 50, 2], "name": "i"}}, {"class_name": "Dense", "config": {"name": "d", "units": 3}}]}})";
        const std::string model_before = read_all(model);
        r = run_command("import", {model.string(), "--out", model.string()});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "refusing to overwrite the input MODEL.json"));
        QCOMPARE(read_all(model), model_before);
        r = run_command("import", {model.string(), "--out", at("imported.convscope.json").string()});
        QCOMPARE(r.status, 0);
    }

    void a_missing_or_read_only_folder_is_found_before_the_work() {
        const auto r = run_command("run", {kStack, "--input", kData, "--out", at("no/such/folder/y.npy").string()});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "the folder"));
        QVERIFY(contains_text(r.err, "does not exist"));
        QVERIFY(r.out.empty());
        const auto e = run_command("export", {kStack, "--to", "json", "--out", dir_.path().toStdString()});
        QCOMPARE(e.status, 2);
        QVERIFY(contains_text(e.err, "is a folder"));
    }

    void pad_outputs_must_differ_from_each_other_through_links() {
        const auto data = copy(CONVSCOPE_RESOURCES_DIR "/samples/ragged_80_120.ts", "r.ts");
        std::ofstream(at("mask.npy")) << "x";
        fs::create_symlink(at("mask.npy"), at("mask_link.npy"));
        const auto r = run_command("pad", {data.string(), "--out", at("mask_link.npy").string(), "--mask-out", at("mask.npy").string()});
        QCOMPARE(r.status, 2);
        QVERIFY(contains_text(r.err, "must be different files"));
    }

    void writer_follows_symlinks_and_keeps_the_mode() {
        const auto target = at("target.txt"), link = at("link.txt");
        std::ofstream(target) << "old";
        ::chmod(target.c_str(), 0600);
        fs::create_symlink(target, link);
        QVERIFY(write_file_atomically(link, std::string("new")).ok());
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(read_all(target), std::string("new"));
        struct stat st {};
        QCOMPARE(::stat(target.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 07777), 0600);
        // A dangling link: the file it names is created, the link stays a link.
        fs::create_symlink(at("later.txt"), at("dangling.txt"));
        QVERIFY(write_file_atomically(at("dangling.txt"), std::string("x")).ok());
        QVERIFY(fs::is_symlink(at("dangling.txt")));
        QCOMPARE(read_all(at("later.txt")), std::string("x"));
        // No temporary file left anywhere.
        for (const auto& e : fs::directory_iterator(at("")))
            QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
    }

    void writer_writes_devices_and_fifos_in_place() {
        struct stat st {};
        QVERIFY(write_file_atomically("/dev/null", std::string("discarded")).ok());
        QCOMPARE(::stat("/dev/null", &st), 0);
        QVERIFY(S_ISCHR(st.st_mode));

        const auto fifo = at("pipe");
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        auto alone = write_file_atomically(fifo, std::string("x"));  // nobody reads: an error, not a hang
        QVERIFY(!alone.ok());
        QVERIFY(contains_text(alone.error().message, "no process is reading"));
        std::string got;
        std::thread reader([&] {
            const int fd = ::open(fifo.c_str(), O_RDONLY);
            char buf[64];
            for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
            ::close(fd);
        });
        Status written = make_error("not tried");
        for (int tries = 0; tries < 200 && !written.ok(); ++tries) {  // until the reader has opened its end
            written = write_file_atomically(fifo, std::string("through the pipe"));
            if (!written.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        reader.join();
        QVERIFY(written.ok());
        QCOMPARE(got, std::string("through the pipe"));
        QCOMPARE(::stat(fifo.c_str(), &st), 0);
        QVERIFY(S_ISFIFO(st.st_mode));
    }

    void a_signal_during_a_write_removes_the_temporary_file() {
        for (int signo : {SIGINT, SIGTERM}) {
            const auto tmp = at(".y.npy.tmp-" + std::to_string(signo));
            const pid_t child = ::fork();
            if (child == 0) {
                convscope::cli::install_interrupt_handlers();
                std::ofstream(tmp) << "half written";
                const PendingTempFile pending(tmp);
                ::raise(signo);
                ::_exit(0);  // not reached: the handler ends the process
            }
            int status = 0;
            QCOMPARE(::waitpid(child, &status, 0), child);
            QVERIFY(WIFEXITED(status));
            QCOMPARE(WEXITSTATUS(status), 128 + signo);
            QVERIFY(!fs::exists(tmp));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliOutputFiles)
#include "test_cli_output_files.moc"
