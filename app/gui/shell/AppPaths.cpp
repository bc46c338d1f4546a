#include "shell/AppPaths.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace AppPaths {

QString resourcesDir() {
    const QString app = QCoreApplication::applicationDirPath();
    const QStringList candidates = {
        qEnvironmentVariable("CONVSCOPE_RESOURCES"),
        app + "/../share/convscope",
        app + "/../../../resources",  // build/app/gui/convscope
        app + "/../../resources",
        QStringLiteral(CONVSCOPE_SOURCE_RESOURCES),
    };
    for (const QString& c : candidates) {
        if (c.isEmpty()) continue;
        QDir d(c);
        if (d.exists("samples") || d.exists("stacks")) return d.canonicalPath();
    }
    return {};
}

QString firstRunSample() {
    const QString dir = resourcesDir();
    if (dir.isEmpty()) return {};
    const QString path = dir + "/samples/transposed_input.convscope";
    return QFileInfo::exists(path) ? path : QString();
}

QStringList bundledSamples() {
    QStringList out;
    const QString dir = resourcesDir();
    if (dir.isEmpty()) return out;
    for (const QFileInfo& f : QDir(dir + "/samples").entryInfoList({"*.convscope"}, QDir::Files, QDir::Name))
        out << f.absoluteFilePath();
    for (const QFileInfo& f : QDir(dir + "/stacks").entryInfoList({"*.convscope.json"}, QDir::Files, QDir::Name))
        out << f.absoluteFilePath();
    return out;
}

QString autosavePath() {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + "/autosave.convscope";
}

}  // namespace AppPaths
