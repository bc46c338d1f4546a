// Issue 9 in the window: the data panel counts as the engine reads the data (the layout
// guess), the trace gets the data as the panel reads it, and the Export dialog builds the
// model the trace checked. Screenshots of both at 1024x700 and 1440x900 go to
// $CONVSCOPE_SCREENSHOT_DIR when it is set.
#include <QAbstractItemModel>
#include <QDir>
#include <QFile>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "dataset/DataPanel.hpp"
#include "dialogs/ExportDialog.hpp"
#include "GuiTestSupport.hpp"
#include "data/dataset_loader.hpp"
#include "data/npy_writer.hpp"
#include "diagnosis/trace_input.hpp"

namespace {

void grab(QWidget& w, const QString& name) {
    const QString dir = qEnvironmentVariable("CONVSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    for (const QSize size : {QSize(1024, 700), QSize(1440, 900)}) {
        w.resize(size);
        QCoreApplication::processEvents();
        QTest::qWait(50);
        w.grab().save(QDir(dir).filePath(QStringLiteral("%1-%2x%3.png").arg(name).arg(size.width()).arg(size.height())));
    }
}

}  // namespace

class DataReadingTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    // Was: "npy · float32 · 64 sequences · 200 channels" for a (64, 5, 200) array guessed channels_first.
    void panelCountsFollowTheLayoutGuess() {
        QTemporaryDir dir;
        const QString path = dir.filePath("cf.npy");
        std::vector<float> v;
        for (int n = 0; n < 64; ++n)
            for (int c = 0; c < 5; ++c)
                for (int t = 0; t < 200; ++t) v.push_back(float(c) + std::sin(0.05f * float(t + n)));
        QVERIFY(convscope::data::write_npy(path.toStdString(), {64, 5, 200}, v));
        auto d = convscope::data::load_dataset(path.toStdString());
        QVERIFY(d.ok());
        DataPanel panel;
        panel.setDataset(path, &*d, DocumentState{});
        const QString header = panel.shapeText();
        QVERIFY2(header.contains("64 sequences of 200 steps x 5 channels"), qPrintable(header));
        QVERIFY2(header.contains("stored as (64, 5, 200), read as channels_first"), qPrintable(header));
        QVERIFY2(!header.contains("200 channels"), qPrintable(header));
        // The list's steps per sequence agree with the header: 200, not the 5 of stored axis 1.
        const auto* model = panel.sequenceTable()->model();
        QCOMPARE(model->index(0, 1).data().toLongLong(), 200LL);
        QVERIFY2(panel.findings().join("\n").contains("same length: 200 steps"), qPrintable(panel.findings().join("\n")));
        grab(panel, "data-panel-channels-first");
    }

    // The window's trace input is the engine's: a 1-D recording stays (108000,) and gets the axes fix.
    void traceSeesTheDataAsThePanelReadsIt() {
        QTemporaryDir dir;
        const QString path = dir.filePath("ecg.npy");
        std::vector<float> v(108000);
        for (size_t i = 0; i < v.size(); ++i) v[i] = std::sin(0.01f * float(i));
        QVERIFY(convscope::data::write_npy(path.toStdString(), {108000}, v));
        auto d = convscope::data::load_dataset(path.toStdString());
        QVERIFY(d.ok());
        DocumentState state;
        state.stack.data_format = convscope::DataFormat::ChannelsLast;
        state.stack.input_shape = convscope::Shape{convscope::kAnyDim, convscope::kAnyDim, 1};
        state.stack.layers = {{"Conv1D", "conv1", true, {{"filters", 8}, {"kernel_size", 7}}},
                              {"GlobalAveragePooling1D", "gap", true, nlohmann::json::object()}};
        const auto input = TraceRunner::inputFor(state, &*d);
        QVERIFY(input);
        QCOMPARE(input->shape, convscope::trace_input_from_dataset(*d, state.stack.data_format).shape);
        const auto trace = convscope::trace_stack(state.stack, *input);
        QVERIFY(trace.error());
        QCOMPARE(trace.error()->fixes.front().data_change->new_shape, (convscope::Shape{1, 108000, 1}));
        DataPanel panel;
        panel.setDataset(path, &*d, state);
        QVERIFY2(panel.shapeText().contains("1 sequence of 108000 steps x 1 channel"), qPrintable(panel.shapeText()));

        // In the window: the fix is offered, and applying it makes the trace pass on (1, 108000, 1).
        QFile project(dir.filePath("ecg.convscope"));
        QVERIFY(project.open(QIODevice::WriteOnly));
        project.write(R"({"format": "convscope-project", "version": 1, "data": "ecg.npy", "stack": {
            "format": "convscope-stack", "version": 1, "data_format": "channels_last", "input_shape": [null, null, 1],
            "layers": [{"type": "Conv1D", "name": "conv1", "filters": 8, "kernel_size": 7},
                       {"type": "GlobalAveragePooling1D", "name": "gap"}]}})");
        project.close();
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(project.fileName()));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QVERIFY(!w.traceRunner()->trace()->ok());
        QVERIFY(w.applyFix(0));
        QVERIFY(waitForTrace(w));
        QVERIFY(w.traceRunner()->trace()->ok());
        QCOMPARE(w.traceRunner()->trace()->input.shape, (convscope::Shape{1, 108000, 1}));
    }

    // Was: nn.Conv1d(1, 16, ...) and INPUT_SHAPE = (1, 128, 1) on the fixed ragged project (2 channels).
    void exportDialogUsesTheTracedInput() {
        MainWindow w;
        w.resize(1440, 900);
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/ragged_batch.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QVERIFY(w.applyFix(0));  // pad to 120 steps and mask
        QVERIFY(waitForTrace(w));
        QVERIFY(w.traceRunner()->trace()->ok());
        std::unique_ptr<ExportDialog> dialog(w.createExportDialog());
        dialog->setFormat(ExportDialog::PyTorch);
        const QString code = dialog->text();
        QVERIFY2(code.contains("nn.Conv1d(2, 16, kernel_size=5, padding='same')"), qPrintable(code.left(3000)));
        QVERIFY2(code.contains("INPUT_SHAPE = (20, 120, 2)"), qPrintable(code.left(3000)));
        QVERIFY(code.contains("# Filled from the data the trace used (ragged_labelled.ts)"));
        QVERIFY(!code.contains("1 channel is assumed"));
        QVERIFY2(dialog->statusText().contains("Mask: The mask of \"masking\" does not reach any pooling"),
                 qPrintable(dialog->statusText()));
        dialog->setFormat(ExportDialog::Keras);
        QVERIFY2(dialog->text().contains("keras.Input(shape=(None, 2)"), qPrintable(dialog->text().left(3000)));
        dialog->setFormat(ExportDialog::PyTorch);
        grab(*dialog, "export-dialog-ragged");
    }

    // The dialog opened right after the fix, before the window's trace of the fixed stack has come
    // back: it used to find no trace of the current stack and assumed 1 channel and 128 steps.
    // It now passes the input the window traces the stack on, as the CLI's --data does.
    void exportDialogRightAfterAFixUsesTheData() {
        MainWindow w;
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/ragged_batch.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QVERIFY(w.applyFix(0));  // pad to 120 steps and mask; its trace is now running
        QVERIFY(!(w.traceRunner()->tracedStack() == w.document()->stack()));
        std::unique_ptr<ExportDialog> dialog(w.createExportDialog());
        dialog->setFormat(ExportDialog::PyTorch);
        const QString code = dialog->text();
        QVERIFY2(code.contains("self.conv1 = nn.Conv1d(2, 16, kernel_size=5, padding='same')"), qPrintable(code.left(3000)));
        QVERIFY2(code.contains("INPUT_SHAPE = (20, 120, 2)\n"), qPrintable(code.left(3000)));
        QVERIFY(!code.contains("1 channel is assumed"));
        dialog->setFormat(ExportDialog::Keras);
        QVERIFY2(dialog->text().contains("INPUT_SHAPE = (20, 120, 2)\n"), qPrintable(dialog->text().left(3000)));
        // The trace it agrees with: conv1 reads 2 channels on (20, 120, 2).
        QVERIFY(waitForTrace(w));
        const auto& trace = *w.traceRunner()->trace();
        QVERIFY(trace.ok());
        QCOMPARE(trace.input.shape, (convscope::Shape{20, 120, 2}));
        for (const auto& step : trace.steps)
            if (step.name == "conv1") QCOMPARE(step.in->shape[2], int64_t(2));
    }
};

QTEST_MAIN(DataReadingTest)
#include "test_data_reading.moc"
