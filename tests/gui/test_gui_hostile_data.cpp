// Hostile files in the real window (issue 10): a stack whose shapes overflow and a
// .npz whose CRC-32 is wrong. The window stays up, says what is wrong and where,
// and the work it had stays as it was. Both files are generated here.
#include <zlib.h>

#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>

#include "GuiTestSupport.hpp"
#include "MessageBar.hpp"

namespace {

void put16(QByteArray& s, quint32 v) { s.append(char(v & 0xff)).append(char((v >> 8) & 0xff)); }
void put32(QByteArray& s, quint32 v) { put16(s, v & 0xffff), put16(s, v >> 16); }

// numpy.savez of one float32 (4, 10, 5) array "x", stored, with the CRC-32 damaged.
QByteArray crcDamagedNpz() {
    QByteArray dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 10, 5), }";
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    QByteArray npy("\x93NUMPY\x01\x00", 8);
    put16(npy, quint32(dict.size()));
    npy += dict + QByteArray(4 * 10 * 5 * 4, '\0');
    const quint32 crc = quint32(crc32(0, reinterpret_cast<const Bytef*>(npy.constData()), uInt(npy.size()))) ^ 0xdeadbeefu;
    const QByteArray name = "x.npy";
    QByteArray zip, central;
    put32(zip, 0x04034b50), put16(zip, 20), put16(zip, 0), put16(zip, 0), put16(zip, 0), put16(zip, 0);
    put32(zip, crc), put32(zip, quint32(npy.size())), put32(zip, quint32(npy.size())), put16(zip, quint32(name.size()));
    put16(zip, 0);
    zip += name + npy;
    put32(central, 0x02014b50), put16(central, 20), put16(central, 20), put16(central, 0), put16(central, 0);
    put16(central, 0), put16(central, 0), put32(central, crc), put32(central, quint32(npy.size()));
    put32(central, quint32(npy.size())), put16(central, quint32(name.size())), put16(central, 0), put16(central, 0);
    put16(central, 0), put16(central, 0), put32(central, 0), put32(central, 0);
    central += name;
    const quint32 cdOffset = quint32(zip.size());
    zip += central;
    put32(zip, 0x06054b50), put16(zip, 0), put16(zip, 0), put16(zip, 1), put16(zip, 1);
    put32(zip, quint32(central.size())), put32(zip, cdOffset), put16(zip, 0);
    return zip;
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

void openFixedSample(MainWindow& w) {
    QSignalSpy loaded(&w, &MainWindow::dataLoaded);
    QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
    QVERIFY(loaded.wait(10000));
    QVERIFY(waitForTrace(w));
    QVERIFY(w.applyFix(0));
    QVERIFY(waitForTrace(w));
}

}  // namespace

class GuiHostileDataTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void crcDamagedNpzLeavesTheWorkUntouched() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedSample(w);
        const convscope::Stack stack = w.document()->stack();
        const int undoCount = w.document()->undoStack()->count();
        const QString dataPath = w.dataPath();

        QTemporaryDir dir;
        const QString npz = dir.filePath("damaged.npz");
        QVERIFY(writeFile(npz, crcDamagedNpz()));
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
        openFixedSample(w);
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
