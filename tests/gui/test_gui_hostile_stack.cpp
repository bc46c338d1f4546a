// Hostile stack and project files opened in the real window: nesting far beyond
// any real file and a megabyte-long type string. The window must stay up, say
// what is wrong with which file, and leave the current work as it was.
#include <QtTest>

#include <QFile>
#include <QTemporaryDir>

#include "GuiTestSupport.hpp"
#include "shell/MessageBar.hpp"
#include "interop/stack_json.hpp"

namespace {
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) qFatal("cannot write %s", qPrintable(path));
    return path;
}
QByteArray nested(int depth) { return QByteArray(depth, '[') + "1" + QByteArray(depth, ']'); }
}  // namespace

class GuiHostileStackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void hostileFilesLeaveTheWindowAndTheWorkAlone() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString deepStack = writeFile(
            dir, "deep.convscope.json",
            "{\"layers\": [{\"type\": \"Conv1D\", \"filters\": 4, \"kernel_size\": 3, \"name\": " + nested(50000) + "}]}");
        const QString hugeType = writeFile(
            dir, "huge_type.convscope.json", "{\"layers\": [{\"type\": \"" + QByteArray(5000000, 'Q') + "\"}]}");
        const QString deepProject = writeFile(dir, "deep.convscope",
                                              "{\"format\": \"convscope-project\", \"stack\": {\"layers\": " +
                                                  nested(50000) + "}}");

        MainWindow w(MainWindow::Options{false, false});
        w.show();
        QVERIFY(w.openPath(samplePath("stacks/sensor_classifier.convscope.json")));
        const std::string before = convscope::stack_to_json_text(w.document()->stack());
        QVERIFY(w.document()->layerCount() > 0);

        struct Case { QString path; const char* says; };
        for (const Case& c : {Case{deepStack, "nested deeper than 100 levels"}, Case{hugeType, "5000000 characters"},
                              Case{deepProject, "nested deeper than 100 levels"}}) {
            QVERIFY(!w.openPath(c.path));
            QCoreApplication::processEvents();
            QVERIFY(w.isVisible());
            const QString message = w.messageBar()->text();
            QVERIFY2(message.contains(QFileInfo(c.path).fileName()), qPrintable(message.left(300)));
            QVERIFY2(message.contains(c.says), qPrintable(message.left(300)));
            QVERIFY2(message.size() < 2000, qPrintable(QString::number(message.size())));
            QCOMPARE(convscope::stack_to_json_text(w.document()->stack()), before);
        }
        // Still working: the current stack traces as before.
        QVERIFY(waitForTrace(w));
    }
};

QTEST_MAIN(GuiHostileStackTest)
#include "test_gui_hostile_stack.moc"
