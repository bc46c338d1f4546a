// Shared set-up for the GUI suites: an isolated settings/app-data location,
// the bundled samples, and waiting for the background trace.
#pragma once

#include <QApplication>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include "shell/MainWindow.hpp"
#include "flow/ShapeFlowView.hpp"
#include "stack/StackDocument.hpp"
#include <QElapsedTimer>
#include "flow/TraceRunner.hpp"

inline QString samplePath(const QString& rel) { return QStringLiteral(CONVSCOPE_RESOURCES_DIR "/") + rel; }

inline void isolateSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("ConvScopeTests");
    QCoreApplication::setApplicationName("ConvScopeGuiTests");
}

// Waits until the window has traced the current document and the views are updated.
inline bool waitForTrace(MainWindow& w, int timeoutMs = 15000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        const auto* r = w.traceRunner();
        if (!r->busy() && r->trace() && r->tracedStack() == w.document()->stack() &&
            w.flowView()->state() != ShapeFlowView::State::Empty)
            return true;
        QTest::qWait(10);
    }
    return false;
}

// Opens the bundled transposed-input project and applies its first fix: a window
// with data, a passing stack and one undo step, for tests that must leave it so.
inline void openFixedTransposedSample(MainWindow& w) {
    QSignalSpy loaded(&w, &MainWindow::dataLoaded);
    QVERIFY(w.openPath(samplePath("samples/transposed_input.convscope")));
    QVERIFY(loaded.wait(10000));
    QVERIFY(waitForTrace(w));
    QVERIFY(w.applyFix(0));
    QVERIFY(waitForTrace(w));
}
