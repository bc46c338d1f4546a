// convscope [FILE...]: opens projects (*.convscope), layer stacks (*.json) and
// data files. With no files on the first run, opens the bundled sample that
// shows the transposed-input mistake. --quit-after-load (or the environment's
// CONVSCOPE_QUIT_AFTER_LOAD=1) exits once the window is up and the files are
// loaded, non-zero if one failed: for start-up timing and the package test.
#include <QApplication>
#include <QThreadPool>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include "shell/MainWindow.hpp"

int main(int argc, char** argv) {
    QApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setOrganizationName("ConvScope");
    QApplication::setApplicationName("ConvScope");
    QApplication::setApplicationVersion(CONVSCOPE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Visual debugger for 1-D convolution stacks."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("files", QCoreApplication::translate(
                                              "main", "Projects (*.convscope), layer stacks (*.json) or data files."),
                                 "[FILE...]");
    QCommandLineOption noSample("no-sample",
                                QCoreApplication::translate("main", "Do not open the sample on the first run."));
    parser.addOption(noSample);
    QCommandLineOption quitAfterLoad(
        "quit-after-load",
        QCoreApplication::translate("main", "Exit once the window is shown and the files are loaded; "
                                            "exit status 1 if one could not be loaded."));
    parser.addOption(quitAfterLoad);
    parser.process(app);
    const bool checkRun = parser.isSet(quitAfterLoad) || qEnvironmentVariable("CONVSCOPE_QUIT_AFTER_LOAD") == "1";

    // A check run asks nothing and recovers nothing: no dialog may wait for a user.
    MainWindow window(MainWindow::Options{.interactive = !checkRun, .autosave = !checkRun});
    window.show();
    const QStringList files = parser.positionalArguments();
    QTimer::singleShot(0, &window, [&window, &app, files, checkRun, sampleAllowed = !parser.isSet(noSample)] {
        bool failed = false;
        const QMetaObject::Connection watchData =
            QObject::connect(&window, &MainWindow::dataFailed, &window, [&failed] { failed = true; });
        if (!checkRun) window.offerRecovery();
        for (const QString& f : files) failed = !window.openPath(f) || failed;
        QSettings settings;
        if (files.isEmpty() && sampleAllowed && !settings.value("firstRunDone", false).toBool())
            failed = !window.openFirstRunSample() || failed;
        settings.setValue("firstRunDone", true);
        if (!checkRun) {
            QObject::disconnect(watchData);
            return;
        }
        // Data files load and stacks trace on the thread pool; each result, delivered by an
        // event, may start the next step (load -> trace -> outputs): drain a bounded chain.
        for (int round = 0; round < 20; ++round) {
            QThreadPool::globalInstance()->waitForDone();
            QCoreApplication::processEvents();
        }
        QObject::disconnect(watchData);
        app.exit(failed ? 1 : 0);
    });
    const int status = app.exec();
    QThreadPool::globalInstance()->waitForDone();  // no engine work may outlive main()
    return status;
}
