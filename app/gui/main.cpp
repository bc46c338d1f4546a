// convscope [FILE...]: opens projects (*.convscope), layer stacks (*.json) and
// data files. With no files on the first run, opens the bundled sample that
// shows the transposed-input mistake.
#include <QApplication>
#include <QThreadPool>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include "MainWindow.hpp"

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
    parser.process(app);

    MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    QTimer::singleShot(0, &window, [&window, files, sampleAllowed = !parser.isSet(noSample)] {
        window.offerRecovery();
        for (const QString& f : files) window.openPath(f);
        QSettings settings;
        if (files.isEmpty() && sampleAllowed && !settings.value("firstRunDone", false).toBool())
            window.openFirstRunSample();
        settings.setValue("firstRunDone", true);
    });
    const int status = app.exec();
    QThreadPool::globalInstance()->waitForDone();  // no engine work may outlive main()
    return status;
}
