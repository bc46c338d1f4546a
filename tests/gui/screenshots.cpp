// Walks the window through the README's first-run story and saves a PNG of
// each state: gui_screenshots OUTPUT_DIR (run under xvfb-run so the platform
// is a real X server).
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QPushButton>
#include <QTimer>

#include "dialogs/ExportDialog.hpp"
#include "GuiTestSupport.hpp"
#include "plots/OutputView.hpp"
#include "plots/PaddingPreview.hpp"
#include "plots/SequenceView.hpp"
#include "shared/Theme.hpp"

namespace {
void settle(int ms = 400) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QTest::qWait(20);
    }
}

bool save(QWidget* w, const QString& path) {
    settle();
    const bool ok = w->grab().save(path);
    qInfo("%s %s", ok ? "saved" : "FAILED", qPrintable(path));
    return ok;
}
}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    isolateSettings();
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("screenshots");
    QDir().mkpath(out);
    Theme::apply(Theme::Mode::Light);

    MainWindow w(MainWindow::Options{false, false});
    w.action("actionThemeLight")->trigger();  // whatever an earlier run left in the settings
    w.resize(1440, 900);
    w.show();
    QSignalSpy loaded(&w, &MainWindow::dataLoaded);
    if (!w.openFirstRunSample()) return 1;
    loaded.wait(10000);
    waitForTrace(w);
    settle(800);
    bool ok = save(&w, out + "/first_run_transposed_input.png");

    w.applyFix(0);
    waitForTrace(w);
    w.selectStep(1);
    settle(800);
    ok &= save(&w, out + "/after_fix.png");

    // The sequence, zoomed a little, with the cursor readout and a receptive field.
    w.selectStep(0);
    settle();
    w.dock("sequenceDock")->raise();
    w.sequenceView()->setVisibleRange(-0.5, 99.5);
    w.sequenceView()->showCursorAt(37);
    w.sequenceView()->highlightSteps(35, 39);
    ok &= save(&w, out + "/sequence_view.png");

    // conv1's output from the forward pass; clicking step 50 marks its receptive field.
    w.dock("outputDock")->raise();
    w.selectStep(2);
    settle(1500);
    w.outputView()->clickStep(50);
    ok &= save(&w, out + "/output_heatmap.png");

    // Padding is shown on the ragged sample: its sequences run 80 to 120 steps, and after
    // the first fix (pad and mask) conv1 (step 2, behind Masking) is selected.
    QSignalSpy ragged(&w, &MainWindow::dataLoaded);
    if (!w.openPath(QStringLiteral(CONVSCOPE_RESOURCES_DIR "/samples/ragged_batch.convscope"))) return 1;
    ragged.wait(10000);
    waitForTrace(w);
    w.applyFix(0);
    waitForTrace(w);
    w.selectStep(2);
    w.dock("paddingDock")->raise();
    PaddingSettings pad;
    pad.maxlen = 120;
    pad.padding = "post";
    pad.masking = true;
    w.paddingPreview()->setSettings(pad);
    emit w.paddingPreview()->settingsChanged(pad);
    settle(2500);
    ok &= save(&w, out + "/padding_preview.png");

    ExportDialog* d = w.createExportDialog();
    d->setFormat(ExportDialog::PyTorch);
    if (d->text().isEmpty()) d->setFormat(ExportDialog::Json);
    d->show();
    ok &= save(d, out + "/export_dialog.png");
    d->close();

    if (argc > 2 && QString::fromLocal8Bit(argv[2]) == "--dark") {
        w.action("actionThemeDark")->trigger();
        w.dock("sequenceDock")->raise();
        settle(600);
        ok &= save(&w, out + "/dark_theme.png");
    }
    return ok ? 0 : 1;
}
