// Issue 9, on the real window: the bundled transposed-input sample after its first fix
// (Permute((2, 1)) at the top of the stack, applied the way the user applies it). The
// flow labels the axes as the stack reads them, the Padding/masking tab pads the length
// the stack reads and runs with weights for the stack as it is now, and the data panel
// says what the stack reads instead of the reading the fix corrected.
#include <QDockWidget>

#include "dataset/DataPanel.hpp"
#include "outputs/ForwardPassAdapter.hpp"
#include "GuiTestSupport.hpp"
#include "plots/OutputView.hpp"
#include "plots/PaddingPreview.hpp"
#include "plots/SequenceView.hpp"
#include "flow/ShapeFlowCanvas.hpp"

class TestAxesAfterFix : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void flowLabelsTheAxesAsTheStackReadsThem() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        const auto& steps = w.traceRunner()->trace()->steps;
        QCOMPARE(QString::fromStdString(steps[1].type), QString("Permute"));
        // The canvas cells: the Permute's (32, 100, 5) is length 100, channels 5.
        const auto* canvas = w.flowView()->canvas();
        QVERIFY(canvas->cell(1, 1) && canvas->cell(1, 2));
        QCOMPARE(canvas->cell(1, 1)->value, QString("100"));
        QCOMPARE(canvas->cell(1, 1)->role, QString("length"));
        QCOMPARE(canvas->cell(1, 2)->value, QString("5"));
        QCOMPARE(canvas->cell(1, 2)->role, QString("channels"));
        // The stored input (32, 5, 100): the stack reads axis 2 as its length.
        QCOMPARE(canvas->cell(0, 1)->role, QString("channels"));
        QCOMPARE(canvas->cell(0, 2)->role, QString("length"));
    }

    void paddingTabPreviewsThePermutedStack() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        // The adapter the tab runs on: sequence 0, the last layer.
        {
            PaddingSettings pad;
            pad.maxlen = 120;
            const PaddingResult direct = ForwardPassAdapter::paddingPreview(*w.dataset(), 0, w.document()->state(),
                                                                            *w.traceRunner()->trace(), 0, pad);
            QVERIFY2(direct.outputsAvailable, qPrintable(direct.unavailableReason));
        }
        QSignalSpy updated(&w, &MainWindow::outputsUpdated);
        w.selectStep(2);  // conv1, behind the Permute
        QVERIFY(updated.wait(10000));
        updated.clear();
        // Pad the 100 steps the stack reads to 120 (the default, "longest", pads to 100).
        PaddingSettings pad;
        pad.maxlen = 120;
        w.paddingPreview()->setSettings(pad);
        emit w.paddingPreview()->settingsChanged(pad);
        // Under load an update can still be the pass started for the previous settings or
        // selection: wait for conv1's padded run (before the fix: never available).
        QTRY_VERIFY_WITH_TIMEOUT(w.paddingPreview()->result().outputsAvailable &&
                                     w.paddingPreview()->result().padded.steps == 120 &&
                                     w.paddingPreview()->result().padded.rows == 16,
                                 15000);
        const PaddingResult& r = w.paddingPreview()->result();
        QVERIFY2(r.unavailableReason.isEmpty(), qPrintable(r.unavailableReason));
        QCOMPARE(r.paddedSteps, int64_t(20));
        QCOMPARE(r.unpadded.steps, int64_t(100));
        QCOMPARE(r.padded.rows, 16);  // conv1's filters, not a length read as channels
        QVERIFY2(!w.paddingPreview()->noteText().contains("weight"), qPrintable(w.paddingPreview()->noteText()));

        // Longest (the default): the sample's sequences all have 100 steps, nothing is padded,
        // and the preview runs (before: conv1's weights for 100 channels met 5).
        PaddingSettings longest;
        w.paddingPreview()->setSettings(longest);
        emit w.paddingPreview()->settingsChanged(longest);
        QTRY_VERIFY_WITH_TIMEOUT(w.paddingPreview()->result().outputsAvailable &&
                                     w.paddingPreview()->result().paddedSteps == 0 &&
                                     w.paddingPreview()->result().padded.steps == 100,
                                 15000);
        QVERIFY2(w.paddingPreview()->result().unavailableReason.isEmpty(),
                 qPrintable(w.paddingPreview()->result().unavailableReason));
        QVERIFY2(!w.paddingPreview()->noteText().contains("expected"), qPrintable(w.paddingPreview()->noteText()));
    }

    // Weights follow the stack as it is now: with the window's trace still that of the
    // previous edit (conv1 had 16 filters, now 8; same names), conv2's output is computed
    // with weights seeded for 8 input channels, not refused by a kernel's size check.
    void layerOutputSeedsWeightsForTheStackAsItIsNow() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        const convscope::Trace stale = *w.traceRunner()->trace();
        DocumentState edited = w.document()->state();
        QCOMPARE(QString::fromStdString(edited.stack.layers[1].name), QString("conv1"));
        edited.stack.layers[1].params["filters"] = 8;
        QCOMPARE(QString::fromStdString(stale.steps[4].name), QString("conv2"));
        QString why;
        const auto out = ForwardPassAdapter::layerOutput(*w.dataset(), 0, edited, stale, 4, &why);
        QVERIFY2(out.has_value(), qPrintable(why));
        QCOMPARE(out->rows, 32);
    }

    void dataPanelSaysWhatTheStackReads() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        auto transposeWarning = [&] {
            for (const QString& f : w.dataPanel()->findings())
                if (f.contains("needs them transposed")) return true;
            return false;
        };
        QVERIFY(transposeWarning());
        QVERIFY(w.applyFix(0));
        QVERIFY(waitForTrace(w));
        const QString header = w.dataPanel()->shapeText();
        QVERIFY2(!header.contains("100 channels"), qPrintable(header));
        QVERIFY2(header.contains("100 steps x 5 channels"), qPrintable(header));
        QVERIFY2(header.contains("as the stack reads it") && header.contains("stored as (32, 5, 100)"), qPrintable(header));
        QVERIFY2(!transposeWarning(), qPrintable(w.dataPanel()->findings().join("\n")));
        // Undo brings the stored reading and the warning back.
        w.document()->undoStack()->undo();
        QVERIFY(waitForTrace(w));
        QVERIFY2(!w.dataPanel()->shapeText().contains("as the stack reads it"), qPrintable(w.dataPanel()->shapeText()));
        QVERIFY(transposeWarning());
    }
};

QTEST_MAIN(TestAxesAfterFix)
#include "test_axes_after_fix.moc"
