// The plot widgets with plain data (decimation, channel toggles, readout,
// padding and mask shading, heatmap binning, step clicks) and wired into the
// window (input heatmap, receptive-field highlight, padding preview).
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QToolButton>

#include "plots/ChannelPicker.hpp"
#include "plots/ChannelRanges.hpp"
#include "dataset/DataPanel.hpp"

#include "outputs/ForwardPassAdapter.hpp"
#include "GuiTestSupport.hpp"
#include "plots/OutputView.hpp"
#include "plots/PaddingPreview.hpp"
#include "plots/SequenceView.hpp"
#include <qcustomplot.h>

namespace {
SequenceData ramp(int64_t length, int channels) {
    SequenceData s;
    s.name = "ramp";
    s.length = length;
    s.channels = channels;
    s.values.resize(size_t(length * channels));
    for (int64_t t = 0; t < length; ++t)
        for (int c = 0; c < channels; ++c) s.values[size_t(t * channels + c)] = float(c * 1000 + (t % 997));
    return s;
}
}  // namespace

class PlotsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void millionsOfStepsAreDecimatedKeepingPeaks() {
        SequenceView v;
        v.resize(900, 300);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        SequenceData s = ramp(2'000'000, 3);
        s.values[size_t(1'234'567 * 3 + 1)] = 1e6f;  // one spike in channel 1
        v.setSequence(s);
        QCOMPARE(v.graphCount(), 3);
        // Two points (min and max) per pixel column, not two million.
        QVERIFY(v.plottedPointCount(0) >= 400);
        QVERIFY2(v.plottedPointCount(0) <= 2 * 2000, qPrintable(QString::number(v.plottedPointCount(0))));
        double peak = 0;
        for (auto it = v.plot()->graph(1)->data()->constBegin(); it != v.plot()->graph(1)->data()->constEnd(); ++it)
            peak = std::max(peak, it->value);
        QCOMPARE(peak, 1e6);
        // Zoomed in far enough, every step is drawn.
        v.setVisibleRange(100, 200);
        QTRY_VERIFY(v.plottedPointCount(0) >= 101 && v.plottedPointCount(0) <= 105);
        QVERIFY(v.readoutAt(150.2).startsWith("step 150"));
        QVERIFY(v.readoutAt(150.2).contains("ch 1=1150"));
        v.setChannelVisible(1, false);
        QCOMPARE(v.plottedPointCount(1), 0);
        QVERIFY(!v.readoutAt(150).contains("ch 1="));
        v.resetZoom();
        QCOMPARE(v.plot()->xAxis->range().lower, -0.5);
    }

    // Issue 9: any channel of a wide sequence can be drawn, at most kMaxGraphs at once.
    void anyChannelOfAWideSequenceCanBeDrawn() {
        SequenceView v;
        v.resize(1000, 320);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setSequence(ramp(500, 300));
        ChannelPicker* picker = v.channelPicker();
        QCOMPARE(v.drawnChannels().size(), SequenceView::kDefaultGraphs);
        QCOMPARE(picker->message(), QString("channels 0-15 of 300 drawn"));

        // Type a range the way a user does: into the field, Enter.
        auto* field = picker->findChild<QLineEdit*>("channelRanges");
        QVERIFY(field);
        field->selectAll();
        QTest::keyClicks(field, "250-260");
        QTest::keyClick(field, Qt::Key_Return);
        QList<int> want;
        for (int c = 250; c <= 260; ++c) want << c;
        QCOMPARE(v.drawnChannels(), want);
        QCOMPARE(v.graphCount(), 11);
        for (int i = 0; i < 11; ++i) QCOMPARE(v.plot()->graph(i)->name(), QString("ch %1").arg(250 + i));
        // The values are channel 250's (ramp: c * 1000 + step).
        QCOMPARE(v.plot()->graph(0)->data()->at(7)->value, 250 * 1000 + 7.0);
        auto* list = v.findChild<QListWidget*>("channelList");
        QCOMPARE(list->count(), 11);
        QCOMPARE(list->item(10)->text(), QString("ch 260"));
        QCOMPARE(picker->message(), QString("channels 250-260 of 300 drawn"));
        QVERIFY(v.isChannelVisible(255));
        QVERIFY(!v.isChannelVisible(0));
        QVERIFY(v.readoutAt(3).contains("ch 250=") && !v.readoutAt(3).contains("ch 0="));
        // The y axis follows the drawn channels.
        QVERIFY(v.plot()->yAxis->range().lower > 200000);

        // Bad text: an inline message naming the token and the valid range; the plot keeps its channels.
        field->selectAll();
        QTest::keyClicks(field, "0-15, 250-400");
        QTest::keyClick(field, Qt::Key_Return);
        QVERIFY(picker->hasError());
        QVERIFY2(picker->message().contains("\"250-400\"") && picker->message().contains("channels are 0-299"),
                 qPrintable(picker->message()));
        QVERIFY(picker->findChild<QLabel*>("channelPickerMessage")->isVisible());
        QCOMPARE(v.drawnChannels(), want);
        QVERIFY(!picker->applyText("abc"));
        QVERIFY2(picker->message().contains("\"abc\"") && picker->message().contains("0-299"), qPrintable(picker->message()));
        QVERIFY(!picker->applyText("20-10"));
        QVERIFY2(picker->message().contains("backwards"), qPrintable(picker->message()));
        QVERIFY(!picker->applyText("99999999999999999999"));
        QVERIFY(!picker->applyText(" , ;"));
        QCOMPARE(v.drawnChannels(), want);

        // More than the cap: the first kMaxGraphs are drawn, and the line says so.
        QVERIFY(picker->applyText("100-299"));
        QCOMPARE(v.graphCount(), SequenceView::kMaxGraphs);
        QCOMPARE(v.drawnChannels().first(), 100);
        QCOMPARE(v.drawnChannels().last(), 163);
        QCOMPARE(picker->message(), QString("channels 100-163 of 300 drawn (the first 64 of 200 chosen)"));
        // Paging: the next 64.
        QTest::mouseClick(picker->findChild<QToolButton*>("channelsForward"), Qt::LeftButton);
        QCOMPARE(v.drawnChannels().first(), 164);
        QCOMPARE(v.drawnChannels().last(), 227);
        picker->pageBack();
        QCOMPARE(v.drawnChannels().first(), 100);

        // Another sequence of the same width keeps the choice; the selection is per view.
        QVERIFY(picker->applyText("250-260"));
        v.setChannelVisible(252, false);
        v.setSequence(ramp(400, 300));
        QCOMPARE(v.drawnChannels(), want);
        QVERIFY(!v.isChannelVisible(252));
        // An empty or failed sequence in between does not lose it.
        v.clear("no sequence");
        QCOMPARE(v.graphCount(), 0);
        v.setSequence(ramp(300, 300));
        QCOMPARE(v.drawnChannels(), want);
        QVERIFY(!v.isChannelVisible(252));
        QCOMPARE(picker->message(), QString("channels 250-260 of 300 drawn"));
        OutputView out;
        SeriesMatrix m;
        m.rows = 300;
        m.steps = 20;
        m.values.assign(size_t(m.rows * m.steps), 0.f);
        for (int r = 0; r < m.rows; ++r)
            for (int64_t t = 0; t < m.steps; ++t) m.values[size_t(r * m.steps + t)] = float(r);
        out.setOutput(m);
        QCOMPARE(out.plottedChannels(), (QList<int>{0, 1, 2}));
        QVERIFY(out.channelPicker()->applyText("250-260"));
        QCOMPARE(out.plottedChannels(), want);
        QCOMPARE(out.linePlot()->graphCount(), 11);
        QCOMPARE(out.linePlot()->graph(3)->name(), QString("ch 253"));
        QCOMPARE(out.linePlot()->graph(3)->data()->at(0)->value, 253.0);
        QVERIFY(!out.channelPicker()->applyText("250-300"));
        QVERIFY2(out.channelPicker()->message().contains("channels are 0-299"), qPrintable(out.channelPicker()->message()));
        QCOMPARE(out.plottedChannels(), want);
        // The next layer's output with as many channels keeps the lines; a narrower one drops those it lacks.
        out.setOutput(m);
        QCOMPARE(out.plottedChannels(), want);
        m.rows = 255;
        m.values.resize(size_t(m.rows * m.steps));
        out.setOutput(m);
        QCOMPARE(out.plottedChannels(), (QList<int>{250, 251, 252, 253, 254}));
        QCOMPARE(v.drawnChannels(), want);
        // A narrower sequence keeps the chosen channels it has, else takes the default.
        v.setSequence(ramp(300, 255));
        QCOMPARE(v.drawnChannels(), (QList<int>{250, 251, 252, 253, 254}));
        v.setSequence(ramp(300, 100));
        QCOMPARE(v.drawnChannels().size(), SequenceView::kDefaultGraphs);
    }

    // The picker's text rules, names included.
    void channelRangesReadNumbersRangesAndNames() {
        QCOMPARE(parseChannelRanges("0-2, 7; 5", 10).channels, (QList<int>{0, 1, 2, 5, 7}));
        QCOMPARE(parseChannelRanges(" 3 - 4 ,3", 10).channels, (QList<int>{3, 4}));
        QCOMPARE(parseChannelRanges("9", 10).channels, (QList<int>{9}));
        QVERIFY(parseChannelRanges("10", 10).error.contains("channels are 0-9"));
        QVERIFY(parseChannelRanges("-1", 10).error.contains("\"-1\""));
        QVERIFY(parseChannelRanges("1-", 10).error.contains("\"1-\""));
        QVERIFY(!parseChannelRanges("", 10).ok());
        const QStringList names{"acc_x", "acc_y", "acc_z", "gyro_x", "temp"};
        QCOMPARE(parseChannelRanges("acc", 5, names).channels, (QList<int>{0, 1, 2}));
        QCOMPARE(parseChannelRanges("TEMP, 0", 5, names).channels, (QList<int>{0, 4}));
        QVERIFY(parseChannelRanges("mag", 5, names).error.contains("\"mag\""));
        QCOMPARE(formatChannelRanges({0, 1, 2, 5, 7, 8}), QString("0-2, 5, 7-8"));
    }

    void paddingAndMaskingAreShaded() {
        SequenceData s = ramp(6, 2);
        for (int c = 0; c < 2; ++c) s.values[size_t(2 * 2 + c)] = 0.f;  // a real all-zero step
        PaddingSettings p;
        p.padding = "pre";
        p.masking = true;
        SequenceData padded = ForwardPassAdapter::padSequence(s, 10, p);
        QCOMPARE(padded.length, int64_t(10));
        QCOMPARE(padded.padded, (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 0, 0, 0, 0}));
        QCOMPARE(padded.at(4, 1), s.at(0, 1));
        // The masked steps are the padding plus the real step that is all zeros.
        QCOMPARE(padded.masked, (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 1, 0, 0, 0}));
        p.truncating = "pre";
        SequenceData cut = ForwardPassAdapter::padSequence(s, 4, p);
        QCOMPARE(cut.at(0, 1), s.at(2, 1));

        SequenceView v;
        v.resize(600, 250);
        v.show();
        v.setSequence(padded);
        QCOMPARE(v.paddedRegionCount(), 1);
        QCOMPARE(v.maskedRegionCount(), 2);
        QVERIFY(v.readoutAt(1).contains("(padding)"));
        QVERIFY(v.readoutAt(6).contains("(masked)"));
        v.highlightSteps(3, 5);
        QCOMPARE(v.highlightedSteps(), (std::pair<int64_t, int64_t>{3, 5}));
    }

    void heatmapBinsLongOutputsAndReportsClicks() {
        OutputView v;
        v.resize(800, 400);
        v.show();
        QVERIFY(!v.hasOutput());
        QVERIFY(!v.placeholderText().isEmpty());
        SeriesMatrix m;
        m.title = "test";
        m.rows = 4;
        m.steps = 10000;
        m.values.resize(size_t(m.rows * m.steps));
        for (int r = 0; r < m.rows; ++r)
            for (int64_t t = 0; t < m.steps; ++t) m.values[size_t(r * m.steps + t)] = float(r) - 1.5f;
        v.setOutput(m);
        QVERIFY(v.hasOutput());
        QCOMPARE(v.colorMap()->data()->valueSize(), 4);
        QVERIFY(v.colorMap()->data()->keySize() <= OutputView::kMaxColumns);
        QCOMPARE(v.colorMap()->data()->keySize(), 3334);  // bins of 3 steps
        QCOMPARE(v.colorMap()->data()->cell(0, 3), 1.5);
        // Signed values: a symmetric scale around zero.
        QCOMPARE(v.colorMap()->dataRange().lower, -1.5);
        QCOMPARE(v.colorMap()->dataRange().upper, 1.5);
        QCOMPARE(v.plottedChannels(), (QList<int>{0, 1, 2}));
        v.setPlottedChannels({3});
        QCOMPARE(v.linePlot()->graphCount(), 1);
        QSignalSpy clicked(&v, &OutputView::stepClicked);
        v.clickStep(4321);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().first().toLongLong(), 4321LL);
        v.setUnavailable("forward pass not available yet");
        QVERIFY(!v.hasOutput());
    }

    void windowShowsTheInputAndItsReceptiveFields() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        QTRY_VERIFY(w.outputView()->hasOutput());
        // Issue 9: the sequence plot reads the data as the data panel does (the layout guess,
        // channels_first: 100 steps of 5 channels) and says that the Keras stack reads
        // (32, 5, 100) as 5 steps of 100 channels; the Input step's output is the stack's.
        QCOMPARE(w.sequenceView()->sequence().length, int64_t(100));
        QCOMPARE(w.sequenceView()->sequence().channels, 5);
        QVERIFY(w.dataPanel()->shapeText().contains("100 steps x 5 channels"));
        QVERIFY2(w.sequenceView()->infoText().startsWith("100 steps × 5 channels"), qPrintable(w.sequenceView()->infoText()));
        QVERIFY2(w.sequenceView()->infoText().contains("the stack reads it as 5 steps × 100 channels"),
                 qPrintable(w.sequenceView()->infoText()));
        QCOMPARE(w.outputView()->output().rows, 100);
        // Its steps are not the stack's: an output step highlights nothing.
        w.outputView()->clickStep(2);
        QCOMPARE(w.sequenceView()->highlightedSteps().first, int64_t(-1));

        QVERIFY(w.applyFix(0));
        QVERIFY(waitForTrace(w));
        // Length and channels are 100 and 5 before the fix too (the panel's reading): wait for the note
        // to go, which only the fixed stack's reading does.
        QTRY_VERIFY(w.sequenceView()->sequence().readingNote.isEmpty());
        QCOMPARE(w.sequenceView()->sequence().length, int64_t(100));
        QCOMPARE(w.sequenceView()->sequence().channels, 5);
        QTRY_COMPARE(w.outputView()->output().rows, 5);
        QCOMPARE(w.outputView()->output().steps, int64_t(100));

        // The first fix starts the stack with Permute((2, 1)); conv1 (kernel 5,
        // 'same') is step 2: its output step 50 reads input steps 48..52.
        const auto& steps = w.traceRunner()->trace()->steps;
        QCOMPARE(QString::fromStdString(steps[1].type), QString("Permute"));
        QCOMPARE(QString::fromStdString(steps[2].name), QString("conv1"));
        QSignalSpy updated(&w, &MainWindow::outputsUpdated);
        w.selectStep(2);
        QVERIFY(updated.wait(10000));
        // The forward pass runs conv1 on sequence 0: 16 channels x 100 steps. On a
        // loaded machine the first update can still be the pass started for the
        // previous selection, so wait for conv1's.
        QVERIFY(w.outputView()->hasOutput());
        QTRY_COMPARE_WITH_TIMEOUT(w.outputView()->output().rows, 16, 10000);
        QCOMPARE(w.outputView()->output().steps, int64_t(100));
        const auto window = ForwardPassAdapter::receptiveWindow(*w.traceRunner()->trace(), 2, 50, 100);
        QCOMPARE(window, (std::pair<int64_t, int64_t>{48, 52}));
        // conv2 after pool1: the window spans the trace's receptive field.
        const auto& rf = steps[4].receptive_field;
        QCOMPARE(rf.steps, int64_t(5 + 1 + 2 * 2));
        const auto w4 = ForwardPassAdapter::receptiveWindow(*w.traceRunner()->trace(), 4, 10, 100);
        QCOMPARE(w4.second - w4.first + 1, rf.steps);

        // Clicking an input step highlights itself in the sequence view.
        w.selectStep(0);
        QVERIFY(updated.wait(5000));
        QTRY_VERIFY(w.outputView()->hasOutput());
        w.outputView()->clickStep(42);
        QCOMPARE(w.sequenceView()->highlightedSteps(), (std::pair<int64_t, int64_t>{42, 42}));

        // Padding preview: pad to 120 after the data.
        PaddingSettings pad;
        pad.maxlen = 120;
        w.paddingPreview()->setSettings(pad);
        emit w.paddingPreview()->settingsChanged(pad);
        QVERIFY(updated.wait(5000));
        // This stack starts with Permute((2, 1)): the engine pads the length the stack reads
        // (100 steps of 5 channels, issue 9), so the tab previews the run.
        QTRY_VERIFY_WITH_TIMEOUT(w.paddingPreview()->result().outputsAvailable, 10000);
        QCOMPARE(w.paddingPreview()->result().paddedSteps, int64_t(20));
        QCOMPARE(w.sequenceView()->paddedRegionCount(), 1);
        QCOMPARE(w.sequenceView()->sequence().length, int64_t(120));
    }

    // The padding tab runs the engine's preview_padding: the bundled ragged sample
    // (conv1 and conv2: kernel 5, stride 1, 'same'), post-padded to 120.
    void paddingPreviewShowsThePaddedRunsOfEachLayer() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QSignalSpy loaded(&w, &MainWindow::dataLoaded);
        QVERIFY(w.openPath(samplePath("samples/ragged_batch.convscope")));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w));
        const auto& ds = *w.dataset();
        int64_t seq = -1;
        for (int64_t i = 0; i < ds.size() && seq < 0; ++i)
            if (ds.length(i) < 110) seq = i;
        QVERIFY(seq >= 0);
        const int64_t length = ds.length(seq);
        const auto& trace = *w.traceRunner()->trace();
        int conv1 = -1, conv2 = -1;
        for (int s = 0; s < int(trace.steps.size()); ++s) {
            if (trace.steps[size_t(s)].name == "conv1") conv1 = s;
            if (trace.steps[size_t(s)].name == "conv2") conv2 = s;
        }
        QVERIFY(conv1 > 0 && conv2 > conv1);
        PaddingSettings pad;
        pad.maxlen = 120;
        pad.padding = "post";
        for (auto [step, reach] : {std::pair{conv1, int64_t(2)}, std::pair{conv2, int64_t(4)}}) {
            const PaddingResult r =
                ForwardPassAdapter::paddingPreview(ds, seq, w.document()->state(), trace, step, pad);
            QVERIFY2(r.outputsAvailable, qPrintable(r.unavailableReason));
            QCOMPARE(r.padded.steps, int64_t(120));
            QCOMPARE(r.unpadded.steps, length);
            QCOMPARE(r.unpaddedOffset, int64_t(0));
            QCOMPARE(r.paddedSteps, 120 - length);
            QCOMPARE(r.contamination.steps, int64_t(120));
            QCOMPARE(int64_t(r.difference.size()), int64_t(120));
            bool contaminatedDiffers = false;
            for (int64_t t = 0; t < 120; ++t) {
                // The padded steps plus the kernel's reach (2 steps per 'same' conv of kernel 5).
                const float expected = t >= length - reach ? 1.f : 0.f;
                QCOMPARE(r.contamination.at(0, t), expected);
                if (expected == 0.f) {
                    QCOMPARE(r.difference[size_t(t)], 0.0);
                    QCOMPARE(r.differenceMasked[size_t(t)], 0.0);
                } else if (t < length && r.difference[size_t(t)] != 0.0) {
                    contaminatedDiffers = true;
                }
            }
            QVERIFY(contaminatedDiffers);
        }

        // Wired into the window, in the background.
        QSignalSpy updated(&w, &MainWindow::outputsUpdated);
        w.selectStep(conv1);
        QVERIFY(updated.wait(10000));
        w.paddingPreview()->setSettings(pad);
        emit w.paddingPreview()->settingsChanged(pad);
        QVERIFY(updated.wait(10000));
        QTRY_COMPARE(w.paddingPreview()->result().padded.steps, int64_t(120));
        QVERIFY(w.paddingPreview()->result().layerTitle.startsWith("conv1"));
        QCOMPARE(w.paddingPreview()->unpaddedPlot()->graphCount(), 1);
        QCOMPARE(w.paddingPreview()->differencePlot()->graphCount(), 2);
        w.paddingPreview()->setChannel(3);
        QCOMPARE(w.paddingPreview()->paddedPlot()->graph(0)->data()->size(), 120);

        // The engine's error is what the tab shows: a 'valid' kernel of 5 on 3 steps.
        pad.maxlen = 3;
        DocumentState state = w.document()->state();
        state.stack.layers[0].params["padding"] = "valid";
        PaddingResult bad = ForwardPassAdapter::paddingPreview(ds, seq, state, trace, conv1, pad);
        QVERIFY(!bad.outputsAvailable);
        QVERIFY2(bad.unavailableReason.contains("does not fit the stack"), qPrintable(bad.unavailableReason));
        w.paddingPreview()->setUnavailable(bad.unavailableReason);
        QVERIFY(w.paddingPreview()->noteText().contains("does not fit the stack"));
    }
};

QTEST_MAIN(PlotsTest)
#include "test_plots.moc"
