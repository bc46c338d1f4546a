// Projects, exports and bad files on the real window: save and reopen with the
// same state, export the stack in each format and each plot kind, autosave and
// recovery, and files that cannot be read leaving the work untouched.
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QUndoStack>

#include "dialogs/ExportDialog.hpp"
#include "GuiTestSupport.hpp"
#include "shell/MessageBar.hpp"
#include "shell/AppPaths.hpp"
#include "plots/PaddingPreview.hpp"
#include "plots/SequenceView.hpp"
#include "interop/stack_json.hpp"


class ProjectExportTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void saveAndReopenGivesTheSameState() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath("fixed.convscope");
        ProjectData saved;
        {
            MainWindow w(MainWindow::Options{false, false});
            w.show();
            openFixedTransposedSample(w);
            // Some view state worth keeping.
            PaddingSettings pad;
            pad.maxlen = 120;
            pad.padding = "pre";
            pad.masking = true;
            w.paddingPreview()->setSettings(pad);
            w.selectStep(1);
            QSignalSpy updated(&w, &MainWindow::outputsUpdated);
            QVERIFY(updated.wait(5000));
            w.sequenceView()->setChannelVisible(2, false);
            QVERIFY(w.isModified());
            QVERIFY(w.saveProject(path));
            QVERIFY(!w.isModified());
            QVERIFY(w.windowTitle().startsWith("fixed.convscope"));
            saved = w.currentProject();
        }
        // The file is plain JSON with a relative data path.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto j = nlohmann::json::parse(f.readAll().toStdString());
        QCOMPARE(j["format"].get<std::string>(), std::string("convscope-project"));
        QVERIFY(j["data"].is_string());
        QVERIFY(!QFileInfo(QString::fromStdString(j["data"].get<std::string>())).isAbsolute());

        MainWindow w2(MainWindow::Options{false, false});
        w2.show();
        QSignalSpy loaded(&w2, &MainWindow::dataLoaded);
        QVERIFY(w2.openPath(path));
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w2));
        QSignalSpy updated(&w2, &MainWindow::outputsUpdated);
        QVERIFY(updated.wait(5000) || !w2.sequenceView()->sequence().empty());
        const ProjectData reopened = w2.currentProject();
        QVERIFY(reopened.document.stack == saved.document.stack);
        QVERIFY(sameDataChange(reopened.document.dataChange, saved.document.dataChange));
        QCOMPARE(reopened.dataPath, saved.dataPath);
        QCOMPARE(reopened.view.padding, saved.view.padding);
        QCOMPARE(reopened.view.step, 1);
        QCOMPARE(reopened.view.sequence, saved.view.sequence);
        QTRY_VERIFY(!w2.sequenceView()->isChannelVisible(2));
        QCOMPARE(w2.currentProject().view.hiddenChannels, saved.view.hiddenChannels);
        QCOMPARE(w2.flowView()->state(), ShapeFlowView::State::Passing);
        QVERIFY(!w2.isModified());
        QCOMPARE(w2.document()->undoStack()->count(), 0);
    }

    void exportsEachFormat() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        QTemporaryDir dir;
        std::unique_ptr<ExportDialog> d(w.createExportDialog());

        d->setFormat(ExportDialog::Json);
        auto parsed = convscope::parse_stack_json(d->text().toStdString(), "<export>");
        QVERIFY(parsed.ok());
        QVERIFY(parsed.value() == w.document()->stack());
        QVERIFY(d->saveTo(dir.filePath("s.convscope.json")).isEmpty());
        auto loaded = convscope::load_stack_file(dir.filePath("s.convscope.json").toStdString());
        QVERIFY(loaded.ok());
        QVERIFY(loaded.value() == w.document()->stack());

        for (auto [format, marker] : {std::pair{ExportDialog::PyTorch, QString("Conv1d")},
                                      std::pair{ExportDialog::Keras, QString("Conv1D")}}) {
            d->setFormat(format);
            QString error;
            // The dialog fills open sizes from the data the trace used (issue 9).
            const QString code = ExportDialog::generate(w.document()->stack(), format, &error,
                                                        w.traceRunner()->trace()->input.shape,
                                                        QFileInfo(w.dataPath()).fileName());
            QCOMPARE(d->text(), code);
            if (code.isEmpty()) {
                // Generators not in this build: the dialog says so and writes nothing.
                QVERIFY(!error.isEmpty());
                QVERIFY(!d->saveTo(dir.filePath("x.py")).isEmpty());
                QVERIFY(!QFile::exists(dir.filePath("x.py")));
            } else {
                QVERIFY2(code.contains(marker), qPrintable(code.left(400)));
                const QString file = dir.filePath(QStringLiteral("model_%1.py").arg(int(format)));
                QVERIFY(d->saveTo(file).isEmpty());
                QFile f(file);
                QVERIFY(f.open(QIODevice::ReadOnly));
                QCOMPARE(QString::fromUtf8(f.readAll()), code);
            }
        }

        // Plots: PNG, SVG, PDF.
        const int sequencePlot = 0;
        QVERIFY(d->savePlot(sequencePlot, dir.filePath("seq.png")).isEmpty());
        QImage png(dir.filePath("seq.png"));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= 640);
        QVERIFY(d->savePlot(sequencePlot, dir.filePath("seq.svg")).isEmpty());
        QFile svg(dir.filePath("seq.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QVERIFY(d->savePlot(1, dir.filePath("heat.pdf")).isEmpty());
        QFile pdf(dir.filePath("heat.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY(!d->savePlot(0, dir.filePath("seq.bmp")).isEmpty());
    }

    void unreadableFilesLeaveTheWorkUntouched() {
        MainWindow w(MainWindow::Options{false, false});
        w.show();
        openFixedTransposedSample(w);
        const convscope::Stack stack = w.document()->stack();
        const int undoCount = w.document()->undoStack()->count();
        const QString dataPath = w.dataPath();
        QTemporaryDir dir;

        QVERIFY(!w.openPath(dir.filePath("missing.convscope")));
        QVERIFY(w.messageBar()->text().contains("missing.convscope"));

        QFile bad(dir.filePath("broken.convscope.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ \"format\": \"convscope-stack\", \"layers\": [ {\"type\": \"Conv1D\", }\n");
        bad.close();
        QVERIFY(!w.openPath(bad.fileName()));
        QVERIFY(w.messageBar()->text().contains("broken.convscope.json"));
        QVERIFY(w.document()->stack() == stack);

        QFile badProject(dir.filePath("bad.convscope"));
        QVERIFY(badProject.open(QIODevice::WriteOnly));
        badProject.write("[1, 2, 3]");
        badProject.close();
        QVERIFY(!w.openPath(badProject.fileName()));
        QVERIFY(w.messageBar()->text().contains("bad.convscope"));

        QFile badData(dir.filePath("garbage.npy"));
        QVERIFY(badData.open(QIODevice::WriteOnly));
        badData.write("\x93NUMPY this is not a header");
        badData.close();
        QSignalSpy failed(&w, &MainWindow::dataFailed);
        w.openData(badData.fileName());
        QVERIFY(failed.wait(10000));
        QVERIFY(!w.messageBar()->text().isEmpty());

        QVERIFY(w.document()->stack() == stack);
        QCOMPARE(w.document()->undoStack()->count(), undoCount);
        QCOMPARE(w.dataPath(), dataPath);
        QVERIFY(w.dataset().has_value());
        QCOMPARE(w.dataset()->size(), int64_t(32));
        QCOMPARE(w.flowView()->state(), ShapeFlowView::State::Passing);
    }

    void autosaveIsRecovered() {
        QFile::remove(AppPaths::autosavePath());
        convscope::Stack stack;
        {
            MainWindow w(MainWindow::Options{false, false});
            w.show();
            openFixedTransposedSample(w);
            QVERIFY(w.document()->addLayer("Dropout", 3));
            stack = w.document()->stack();
            w.writeAutosave();
            QVERIFY(QFile::exists(AppPaths::autosavePath()));
            // No clean close: the window goes away without closeEvent (a crash).
        }
        MainWindow w2(MainWindow::Options{false, false});
        w2.show();
        QSignalSpy loaded(&w2, &MainWindow::dataLoaded);
        w2.offerRecovery();
        QVERIFY(w2.document()->stack() == stack);
        QVERIFY(w2.isModified());
        QVERIFY(loaded.wait(10000));
        QVERIFY(waitForTrace(w2));
        QCOMPARE(w2.flowView()->state(), ShapeFlowView::State::Passing);
        w2.close();  // a clean close removes the autosave
        QVERIFY(!QFile::exists(AppPaths::autosavePath()));
    }
};

QTEST_MAIN(ProjectExportTest)
#include "test_project_export.moc"
