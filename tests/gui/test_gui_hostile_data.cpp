// Hostile files in the real window (issue 10): a stack whose shapes overflow and a
// .npz whose CRC-32 is wrong. The window stays up, says what is wrong and where,
// and the work it had stays as it was. The stack is generated here; the .npz is the
// numpy-made fuzz seed (tests/fuzz/make_hostile_seeds.py), whose CRC numpy refuses too.
#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>

#include "GuiTestSupport.hpp"
#include "shell/MessageBar.hpp"

namespace {

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

}  // namespace

class GuiHostileDataTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void crcDamagedNpzLeavesTheWorkUntouched() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        const convscope::Stack stack = w.document()->stack();
        const int undoCount = w.document()->undoStack()->count();
        const QString dataPath = w.dataPath();

        QTemporaryDir dir;
        const QString npz = dir.filePath("damaged.npz");
        QVERIFY(QFile::copy(QStringLiteral(CONVSCOPE_SOURCE_DIR "/tests/fuzz/seeds/npz/crc_damaged.npz"), npz));
        QSignalSpy failed(&w, &MainWindow::dataFailed);
        w.openData(npz);
        QVERIFY(failed.wait(10000));
        QVERIFY(w.isVisible());
        const QString message = w.messageBar()->text();
        QVERIFY2(message.contains("damaged.npz:x"), qPrintable(message));
        QVERIFY2(message.contains("CRC-32"), qPrintable(message));

        QVERIFY(w.document()->stack() == stack);
        QCOMPARE(w.document()->undoStack()->count(), undoCount);
        QCOMPARE(w.dataPath(), dataPath);
        QVERIFY(w.dataset().has_value());
        QCOMPARE(w.dataset()->size(), int64_t(32));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Passing);
    }

    void overflowingStackIsAShapeErrorNamingTheLayer() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        const QString dataPath = w.dataPath();
        // 100 steps upsampled 1e6 times twice: 1e14 steps, past the 2^40 limit of one axis.
        QTemporaryDir dir;
        const QString stackPath = dir.filePath("huge.convscope.json");
        QVERIFY(writeFile(stackPath, R"({"format": "convscope-stack", "version": 1, "data_format": "channels_last",
            "layers": [{"type": "Permute", "name": "swap", "dims": [2, 1]},
                       {"type": "UpSampling1D", "name": "up1", "size": 1000000},
                       {"type": "UpSampling1D", "name": "up2", "size": 1000000},
                       {"type": "Flatten", "name": "flat"}]})"));
        QVERIFY(w.openPath(stackPath));
        QVERIFY(waitForTrace(w));
        QVERIFY(w.isVisible());
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
        const auto* err = w.traceRunner()->trace()->error();
        QVERIFY(err);
        QCOMPARE(err->kind, convscope::MistakeKind::SizeOverflow);
        const QString explanation = w.flowView()->explanationText();
        QVERIFY2(explanation.contains("\"up2\""), qPrintable(explanation));
        QVERIFY2(explanation.contains("1099511627776"), qPrintable(explanation));
        // The data is still the one loaded before.
        QCOMPARE(w.dataPath(), dataPath);
        QCOMPARE(w.dataset()->size(), int64_t(32));
    }

    void flattenOfHugeDeclaredDims() {
        // No data: the window traces the declared (None, 1e12, 1e12), whose Flatten passes 64 bits.
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QTemporaryDir dir;
        const QString stackPath = dir.filePath("flat.convscope.json");
        QVERIFY(writeFile(stackPath, R"({"format": "convscope-stack", "version": 1, "data_format": "channels_last",
            "input_shape": [null, 1000000000000, 1000000000000],
            "layers": [{"type": "Flatten", "name": "flatten_all"}, {"type": "Dense", "name": "head", "units": 10}]})"));
        QVERIFY(w.openPath(stackPath));
        QVERIFY(waitForTrace(w));
        QVERIFY(w.isVisible());
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
        const QString explanation = w.flowView()->explanationText();
        QVERIFY2(explanation.contains("\"flatten_all\""), qPrintable(explanation));
        QVERIFY2(explanation.contains("64-bit"), qPrintable(explanation));
    }
};

QTEST_MAIN(GuiHostileDataTest)
#include "test_gui_hostile_data.moc"
