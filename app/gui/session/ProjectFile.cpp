#include "session/ProjectFile.hpp"

#include <QDir>
#include <QFileInfo>
#include <QObject>

#include "common/atomic_write.hpp"
#include "common/json_input.hpp"
#include "diagnosis/trace_report.hpp"
#include "interop/stack_json.hpp"

using nlohmann::json;

namespace ProjectFile {
namespace {

QString relative(const QString& projectPath, const QString& path) {
    if (path.isEmpty()) return {};
    return QFileInfo(projectPath).absoluteDir().relativeFilePath(path);
}

QString absolute(const QString& projectPath, const std::string& stored) {
    if (stored.empty()) return {};
    const QString p = QString::fromStdString(stored);
    if (QFileInfo(p).isAbsolute()) return QDir::cleanPath(p);
    return QDir::cleanPath(QFileInfo(projectPath).absoluteDir().filePath(p));
}

const char* kindName(convscope::DataChange::Kind k) {
    switch (k) {
    case convscope::DataChange::Kind::Transpose: return "transpose";
    case convscope::DataChange::Kind::Pad: return "pad";
    case convscope::DataChange::Kind::Truncate: return "truncate";
    case convscope::DataChange::Kind::AddChannelAxis: return "add_channel_axis";
    }
    return "transpose";
}

std::optional<convscope::DataChange::Kind> kindFrom(const std::string& s) {
    using K = convscope::DataChange::Kind;
    if (s == "transpose") return K::Transpose;
    if (s == "pad") return K::Pad;
    if (s == "truncate") return K::Truncate;
    if (s == "add_channel_axis") return K::AddChannelAxis;
    return std::nullopt;
}

json intList(const QList<int>& l) {
    json a = json::array();
    for (int v : l) a.push_back(v);
    return a;
}

QList<int> intListFrom(const json& j) {
    QList<int> out;
    if (j.is_array())
        for (const auto& v : j)
            if (v.is_number_integer()) out << v.get<int>();
    return out;
}

}  // namespace

json toJson(const ProjectData& p, const QString& projectPath) {
    json j;
    j["format"] = "convscope-project";
    j["version"] = kVersion;
    j["data"] = p.dataPath.isEmpty() ? json() : json(relative(projectPath, p.dataPath).toStdString());
    j["stack"] = convscope::stack_to_json(p.document.stack);
    j["weights"] = p.weightsPath.isEmpty() ? json() : json(relative(projectPath, p.weightsPath).toStdString());
    if (p.document.dataChange) {
        const auto& c = *p.document.dataChange;
        j["data_change"] = {{"kind", kindName(c.kind)},
                            {"description", c.description},
                            {"new_shape", convscope::shape_to_json(c.new_shape)},
                            {"maxlen", c.maxlen},
                            {"side", c.side}};
    } else {
        j["data_change"] = nullptr;
    }
    const auto& v = p.view;
    j["view"] = {{"sequence", v.sequence},
                 {"step", v.step},
                 {"hidden_channels", intList(v.hiddenChannels)},
                 {"output_channels", intList(v.outputChannels)},
                 {"sequence_channels", intList(v.sequenceChannels)},
                 {"padding",
                  {{"maxlen", v.padding.maxlen},
                   {"padding", v.padding.padding.toStdString()},
                   {"truncating", v.padding.truncating.toStdString()},
                   {"value", v.padding.value},
                   {"conv_padding_mode", v.padding.convPaddingMode.toStdString()},
                   {"masking", v.padding.masking}}}};
    return j;
}

std::optional<ProjectData> fromJson(const json& j, const QString& projectPath, QString* error) {
    auto fail = [&](const QString& why) -> std::optional<ProjectData> {
        if (error) *error = QObject::tr("%1: %2").arg(QDir::toNativeSeparators(projectPath), why);
        return std::nullopt;
    };
    if (!j.is_object()) return fail(QObject::tr("not a ConvScope project (expected a JSON object)"));
    if (j.contains("version") && j["version"].is_number_integer() && j["version"].get<int>() > kVersion)
        return fail(QObject::tr("written by a newer ConvScope (project version %1; this one reads %2)")
                        .arg(j["version"].get<int>())
                        .arg(kVersion));
    ProjectData p;
    // data: "path" or {"path": "..."}
    if (j.contains("data") && !j["data"].is_null()) {
        const json& d = j["data"];
        if (d.is_string()) p.dataPath = absolute(projectPath, d.get<std::string>());
        else if (d.is_object() && d.contains("path") && d["path"].is_string())
            p.dataPath = absolute(projectPath, d["path"].get<std::string>());
        else return fail(QObject::tr("\"data\" must be a file path"));
    }
    if (j.contains("weights") && j["weights"].is_string())
        p.weightsPath = absolute(projectPath, j["weights"].get<std::string>());
    // stack: inline object or a path to a *.convscope.json
    if (!j.contains("stack") || j["stack"].is_null()) return fail(QObject::tr("no \"stack\""));
    const std::string source = projectPath.toStdString();
    if (j["stack"].is_string()) {
        const QString stackPath = absolute(projectPath, j["stack"].get<std::string>());
        auto stack = convscope::load_stack_file(stackPath.toStdString());
        if (!stack) {
            if (error) *error = QString::fromStdString(stack.error().message);
            return std::nullopt;
        }
        p.document.stack = std::move(stack.value());
    } else {
        auto stack = convscope::stack_from_json(j["stack"], source);
        if (!stack) {
            if (error) *error = QString::fromStdString(stack.error().message);
            return std::nullopt;
        }
        p.document.stack = std::move(stack.value());
    }
    if (j.contains("data_change") && j["data_change"].is_object()) {
        const json& c = j["data_change"];
        auto kind = kindFrom(c.value("kind", std::string()));
        if (!kind) return fail(QObject::tr("unknown data_change kind"));
        convscope::DataChange dc{*kind, c.value("description", std::string()), {}, c.value("maxlen", int64_t(0)),
                                 c.value("side", std::string("post"))};
        if (c.contains("new_shape") && c["new_shape"].is_array())
            for (const auto& d : c["new_shape"]) dc.new_shape.dims.push_back(d.is_null() ? convscope::kAnyDim : d.get<int64_t>());
        p.document.dataChange = dc;
    }
    if (j.contains("view") && j["view"].is_object()) {
        const json& v = j["view"];
        p.view.sequence = v.value("sequence", 0);
        p.view.step = v.value("step", -1);
        if (v.contains("hidden_channels")) p.view.hiddenChannels = intListFrom(v["hidden_channels"]);
        if (v.contains("output_channels")) p.view.outputChannels = intListFrom(v["output_channels"]);
        if (v.contains("sequence_channels")) p.view.sequenceChannels = intListFrom(v["sequence_channels"]);
        if (v.contains("padding") && v["padding"].is_object()) {
            const json& pd = v["padding"];
            p.view.padding.maxlen = pd.value("maxlen", 0);
            p.view.padding.padding = QString::fromStdString(pd.value("padding", std::string("post")));
            p.view.padding.truncating = QString::fromStdString(pd.value("truncating", std::string("post")));
            p.view.padding.value = pd.value("value", 0.0);
            p.view.padding.convPaddingMode = QString::fromStdString(pd.value("conv_padding_mode", std::string("zeros")));
            p.view.padding.masking = pd.value("masking", false);
        }
    }
    return p;
}

std::optional<ProjectData> load(const QString& path, QString* error) {
    auto text = convscope::read_text_file(path.toStdString());
    if (!text) {
        if (error) *error = QString::fromStdString(text.error().message);
        return std::nullopt;
    }
    // The engine's reader: a nesting limit before parsing, line and column on a syntax error.
    auto parsed = convscope::parse_json_text(text.value(), QDir::toNativeSeparators(path).toStdString());
    if (!parsed) {
        if (error) *error = QString::fromStdString(parsed.error().message);
        return std::nullopt;
    }
    try {
        return fromJson(*parsed, QFileInfo(path).absoluteFilePath(), error);
    } catch (const std::exception& e) {
        if (error) *error = QObject::tr("%1: %2").arg(QDir::toNativeSeparators(path), QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

QString save(const QString& path, const ProjectData& project) {
    const std::string text = toJson(project, QFileInfo(path).absoluteFilePath()).dump(2) + "\n";
    auto status = convscope::write_file_atomically(path.toStdString(), text);
    return status ? QString() : QString::fromStdString(status.error().message);
}

}  // namespace ProjectFile
