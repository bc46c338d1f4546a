// The first-run walk-through on the real window: the bundled transposed-input
// sample is flagged on the channels axis, the first fix makes the trace pass
// and turns the view green, undo brings the failure back, redo the fix.
#include <QLabel>
#include <QPushButton>
#include <QUndoStack>

#include "GuiTestSupport.hpp"
#include "stack/LayerStackEditor.hpp"
#include "stack/LayerStackModel.hpp"
#include "shell/MessageBar.hpp"
#include "plots/SequenceView.hpp"
#include "flow/ShapeFlowCanvas.hpp"
#include "shared/Theme.hpp"

class ShapeFlowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void transposedInputIsFlaggedOnTheChannelsAxis() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));

        ShapeFlowView* flow = w.flowView();
        QCOMPARE(flow->state(), ShapeFlowView::State::Failing);
        QVERIFY(flow->statusText().contains("fails"));
        QCOMPARE(flow->statusColor(), Theme::failing());
        // The data is stored (32, 5, 100); the Keras stack wants (None, 100, 5).
        const auto& trace = *w.traceRunner()->trace();
        QCOMPARE(QString::fromStdString(trace.steps[0].out->shape.to_string()), QString("(32, 5, 100)"));
        const auto* err = trace.error();
        QVERIFY(err);
        QCOMPARE(err->kind, convscope::MistakeKind::TransposedInput);
        QCOMPARE(err->axis, int64_t(2));

        // Exactly one axis cell is red: axis 2 of the tensor the failing step receives.
        ShapeFlowCanvas* canvas = flow->canvas();
        int failingCells = 0;
        for (const auto& c : canvas->cells()) failingCells += c.failing ? 1 : 0;
        QCOMPARE(failingCells, 1);
        const auto* cell = canvas->cell(0, 2);
        QVERIFY(cell);
        QVERIFY(cell->failing);
        QCOMPARE(cell->role, QString("channels"));
        QCOMPARE(cell->value, QString("100"));
        QCOMPARE(cell->fill, Theme::failing());
        QVERIFY(!canvas->cell(0, 1)->failing);
        QCOMPARE(canvas->cell(0, 1)->value, QString("5"));

        QVERIFY(flow->explanationText().contains("transposed"));
        // Issue 9: the panel names both numbers of the failure.
        const auto* axisLine = flow->findChild<QLabel*>("diagnosisAxis");
        QVERIFY(axisLine);
        QVERIFY(!err->expected.empty() && !err->actual.empty());
        QVERIFY2(axisLine->text().contains("expected <b>" + QString::fromStdString(err->expected) + "</b>, got <b>" +
                                           QString::fromStdString(err->actual) + "</b>"),
                 qPrintable(axisLine->text()));
        QVERIFY(!flow->frameworkText().isEmpty());
        QVERIFY(flow->fixButtons().size() >= 1);
        QCOMPARE(w.document()->undoStack()->count(), 0);
        QVERIFY(!w.isModified());
    }

    void firstFixPassesAndUndoBringsTheFailureBack() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
        const convscope::Stack before = w.document()->stack();
        const QString fixText = QString::fromStdString(w.traceRunner()->trace()->error()->fixes[0].description);

        // Click the first fix button like a user.
        QPushButton* fix = w.flowView()->fixButtons().first();
        QVERIFY(fix->isEnabled());
        QTest::mouseClick(fix, Qt::LeftButton);
        QCOMPARE(w.document()->undoStack()->count(), 1);
        QVERIFY(w.document()->undoStack()->undoText().contains(fixText));
        QVERIFY(waitForTrace(w));
        ShapeFlowView* flow = w.flowView();
        QCOMPARE(flow->state(), ShapeFlowView::State::Passing);
        QCOMPARE(flow->statusColor(), Theme::passing());
        QVERIFY(flow->statusText().contains("fixed"));
        QVERIFY(flow->fixButtons().isEmpty());
        for (const auto& c : flow->canvas()->cells()) QVERIFY(!c.failing);
        const auto& trace = *w.traceRunner()->trace();
        QVERIFY(trace.ok());
        // The classifier ends in 3 classes for the 32 sequences.
        QCOMPARE(QString::fromStdString(trace.steps.back().out->shape.to_string()), QString("(32, 3)"));
        QVERIFY(w.isModified());

        // Ctrl+Z: back to the failure, with the red axis.
        QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(w.document()->undoStack()->index(), 0);
        QVERIFY(w.document()->stack() == before);
        QVERIFY(!w.document()->state().dataChange);
        QVERIFY(waitForTrace(w));
        QCOMPARE(flow->state(), ShapeFlowView::State::Failing);
        QVERIFY(flow->canvas()->cell(0, 2)->failing);
        QVERIFY(!w.isModified());

        // Ctrl+Shift+Z: the fix again.
        QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(w.document()->undoStack()->index(), 1);
        QVERIFY(waitForTrace(w));
        QCOMPARE(flow->state(), ShapeFlowView::State::Passing);
    }

    void classicMistakes_data() {
        QTest::addColumn<QString>("project");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("failingRole");
        QTest::newRow("transposed input") << "samples/transposed_input.convscope"
                                          << int(convscope::MistakeKind::TransposedInput) << "channels";
        QTest::newRow("channel mismatch") << "samples/channel_mismatch.convscope"
                                          << int(convscope::MistakeKind::ChannelMismatch) << "channels";
        QTest::newRow("ragged batch") << "samples/ragged_batch.convscope" << int(convscope::MistakeKind::RaggedBatch)
                                      << "length";
    }

    // The README's walk-through in the GUI: each bundled mistake is flagged on
    // its axis, the first fix passes, and undo brings the failure back.
    void classicMistakes() {
        QFETCH(QString, project);
        QFETCH(int, kind);
        QFETCH(QString, failingRole);
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath(project)));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
        const auto* err = w.traceRunner()->trace()->error();
        QCOMPARE(int(err->kind), kind);
        const ShapeFlowCanvas::AxisCell* red = nullptr;
        for (const auto& c : w.flowView()->canvas()->cells())
            if (c.failing) red = &c;
        QVERIFY(red);
        QCOMPARE(red->role, failingRole);
        QCOMPARE(red->axis, int(err->axis));

        QVERIFY(w.applyFix(0));
        QVERIFY(waitForTrace(w));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Passing);
        if (kind == int(convscope::MistakeKind::RaggedBatch)) {
            // Padding is a change to the data: the trace runs on the padded batch.
            QVERIFY(w.document()->state().dataChange.has_value());
            QCOMPARE(w.document()->state().dataChange->kind, convscope::DataChange::Kind::Pad);
            QTRY_VERIFY(w.sequenceView()->sequence().length == w.document()->state().dataChange->maxlen);
        }
        w.document()->undoStack()->undo();
        QVERIFY(waitForTrace(w));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
    }

    void addingAnEditedLayerRetracesWithTheNewShape() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Passing);

        // Insert a Conv1D after pool1 (row 2, behind the Permute the fix added) with 8 filters.
        LayerStackEditor* editor = w.stackEditor();
        editor->selectRow(2);
        QVERIFY(editor->addLayer("Conv1D"));
        QCOMPARE(editor->currentRow(), 3);
        QCOMPARE(w.document()->layerCount(), 7);  // with the Permute the fix added
        QVERIFY(w.document()->setLayerParam(3, "filters", 8));
        QVERIFY(waitForTrace(w));
        const auto& trace = *w.traceRunner()->trace();
        QVERIFY(trace.ok());
        QCOMPARE(trace.steps[4].out->dim(convscope::AxisRole::Channels), int64_t(8));
        QCOMPARE(editor->model()->data(editor->model()->index(3, LayerStackModel::ShapeColumn), Qt::DisplayRole).toString(),
                 QString::fromStdString(trace.steps[4].out->shape.to_string()));
        QCOMPARE(w.document()->undoStack()->count(), 3);  // fix, add, filters

        // A kernel longer than what is left of the sequence fails on the length axis.
        QVERIFY(w.document()->setLayerParam(3, "kernel_size", 500));
        QVERIFY(waitForTrace(w));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Failing);
        const auto* err = w.traceRunner()->trace()->error();
        QCOMPARE(err->kind, convscope::MistakeKind::SequenceTooShort);
        QVERIFY(err->role == convscope::AxisRole::Length);
        QCOMPARE(editor->model()->data(editor->model()->index(3, 0), Qt::ForegroundRole).value<QColor>(),
                 Theme::failing());
    }
};

QTEST_MAIN(ShapeFlowTest)
#include "test_shape_flow.moc"
