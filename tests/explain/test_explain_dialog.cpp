// Help > Explain an Error: paste -> explanation shown and the layer selected in
// the flow; a verified fix applied -> the stack changes; undo restores it.
// With CONVSCOPE_SCREENSHOT_DIR set it also writes explain_<w>x<h>.png there.
#include <QtTest>

#include <QAction>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QUndoStack>

#include "dialogs/ExplainDialog.hpp"
#include "GuiTestSupport.hpp"

namespace {
const QString kKeras = QStringLiteral(
    "Traceback (most recent call last):\n"
    "  File \"train.py\", line 41, in <module>\n"
    "    model.fit(x, y, epochs=10)\n"
    "  File \"/usr/lib/python3/dist-packages/keras/src/utils/traceback_utils.py\", line 122, in error_handler\n"
    "    raise e.with_traceback(filtered_tb) from None\n"
    "ValueError: Exception encountered when calling Sequential.call().\n\n"
    "Input 0 of layer \"conv1\" is incompatible with the layer: expected axis -1 of input shape to have value 5, "
    "but received input with shape (32, 5, 100)\n\n"
    "Arguments received by Sequential.call():\n"
    "  \u2022 inputs=tf.Tensor(shape=(32, 5, 100), dtype=float32)\n");

void grabWith(MainWindow& w, ExplainDialog& d, const QSize& size, const QString& path) {
    w.resize(size);
    d.resize(int(size.width() * 0.62), int(size.height() * 0.86));
    QCoreApplication::processEvents();
    QImage shot = w.grab().toImage();
    QPainter p(&shot);
    const QPixmap dialog = d.grab();
    const QPoint at(size.width() - dialog.width() - 16, (size.height() - dialog.height()) / 2);
    p.fillRect(QRect(at + QPoint(4, 4), dialog.size()), QColor(0, 0, 0, 60));  // a shadow, as a window manager draws it
    p.drawPixmap(at, dialog);
    p.setPen(QColor(120, 120, 120));
    p.drawRect(QRect(at, dialog.size()).adjusted(0, 0, -1, -1));
    p.end();
    QVERIFY(shot.save(path));
}
}  // namespace

class ExplainDialogTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void pasteExplainsHighlightsAndFixes() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));

        QAction* act = w.action("actionExplainError");
        QVERIFY(act);
        QCOMPARE(act->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        for (QAction* other : w.findChildren<QAction*>())
            if (other != act) QVERIFY2(other->shortcut() != act->shortcut(), qPrintable(other->objectName()));
        act->trigger();
        ExplainDialog* d = w.explainDialog();
        QVERIFY(d->isVisible());
        QVERIFY(d->titleText().contains("appears here"));

        // As if pasted: explained once the text stops changing.
        w.selectStep(0);
        d->editor()->setPlainText(kKeras);
        QTRY_VERIFY_WITH_TIMEOUT(d->titleText().contains("Transposed input"), 3000);
        QVERIFY(d->titleText().contains("keras-axis-value"));
        QVERIFY(d->axisText().contains("2 (channels)"));
        QVERIFY(d->axisText().contains("conv1"));
        QVERIFY(d->explanationText().contains("channels_first"));
        QVERIFY(d->stackText().contains("conv1"));
        QCOMPARE(w.selectedStep(), 1);  // conv1 highlighted in the flow

        if (const QByteArray dir = qgetenv("CONVSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            grabWith(w, *d, QSize(1024, 700), QString::fromUtf8(dir) + "/explain_1024x700.png");
            grabWith(w, *d, QSize(1440, 900), QString::fromUtf8(dir) + "/explain_1440x900.png");
        }

        QVERIFY(!d->fixButtons().isEmpty());
        const convscope::Stack before = w.document()->stack();
        d->fixButtons().front()->click();
        QVERIFY(!(w.document()->stack() == before));
        QVERIFY(w.document()->undoStack()->canUndo());
        QTRY_VERIFY_WITH_TIMEOUT(d->stackText().contains("passes"), 3000);  // re-matched on the fixed stack
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->stack() == before);
        QTRY_VERIFY_WITH_TIMEOUT(!d->fixButtons().isEmpty(), 3000);
    }

    void unrelatedTextIsNotRecognised() {
        MainWindow w(MainWindow::Options{false, false});
        ExplainDialog* d = w.explainDialog();
        d->setText("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB");
        QVERIFY(d->titleText().contains("Not recognised"));
        QVERIFY(d->explanationText().contains("mat1 and mat2"));
        QVERIFY(d->fixButtons().isEmpty());
    }

    void droppedTracebackFiles() {
        QTemporaryDir dir;
        const QString log = dir.filePath("run.log"), tb = dir.filePath("tb.txt"), data = dir.filePath("data.txt");
        for (const auto& [path, text] : {std::pair{log, QByteArray("epoch 1\nRuntimeError: mat1 and mat2 shapes cannot be multiplied (32x1600 and 100x10)\n")},
                                         std::pair{tb, QByteArray("Traceback (most recent call last):\n  File \"a.py\"\nKeyError: 'x'\n")},
                                         std::pair{data, QByteArray("1 2 3\n4 5 6\n")}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        QVERIFY(ExplainDialog::isTracebackFile(log));
        QVERIFY(ExplainDialog::isTracebackFile(tb));
        QVERIFY(!ExplainDialog::isTracebackFile(data));  // a .txt of numbers is still data
        MainWindow w(MainWindow::Options{false, false});
        ExplainDialog* d = w.explainDialog();
        QVERIFY(d->loadFile(log));
        QVERIFY(d->titleText().contains("linear-shape"));
        QVERIFY(!d->loadFile(dir.filePath("missing.log")));
        QVERIFY(d->titleText().contains("cannot open"));
    }
};

QTEST_MAIN(ExplainDialogTest)
#include "test_explain_dialog.moc"
