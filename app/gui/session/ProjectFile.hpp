// Folder session/: the project file (*.convscope) the window saves, reopens and autosaves; includes stack/ and plots/.
// A ConvScope project (*.convscope): JSON naming the data file, holding the
// stack (or naming a stack file), an optional weights file, the data change a
// fix made, and the view state. Paths are stored relative to the project file.
// Saved atomically, so a failed save never damages the previous file.
#pragma once

#include <QList>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>

#include "plots/PlotData.hpp"
#include "stack/StackDocument.hpp"

struct ProjectViewState {
    int sequence = 0;
    int step = -1;                  // trace step selected in the shape flow
    QList<int> hiddenChannels;      // sequence view
    QList<int> outputChannels;      // output view lines
    QList<int> sequenceChannels;    // sequence view: the channels chosen in its picker
    PaddingSettings padding;
    bool operator==(const ProjectViewState&) const = default;
};

struct ProjectData {
    QString dataPath;      // absolute, or empty
    QString weightsPath;   // absolute, or empty
    DocumentState document;
    ProjectViewState view;
};

namespace ProjectFile {
inline constexpr int kVersion = 1;

nlohmann::json toJson(const ProjectData& project, const QString& projectPath);
// nullopt plus `error` (naming the file and what is wrong).
std::optional<ProjectData> fromJson(const nlohmann::json& j, const QString& projectPath, QString* error);
std::optional<ProjectData> load(const QString& path, QString* error);
// Empty on success, else the reason.
QString save(const QString& path, const ProjectData& project);
}  // namespace ProjectFile
