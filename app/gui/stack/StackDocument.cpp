#include "stack/StackDocument.hpp"

#include "stack/StackCommands.hpp"
#include "layers/layer_kind.hpp"

using convscope::LayerSpec;

bool sameDataChange(const std::optional<convscope::DataChange>& a, const std::optional<convscope::DataChange>& b) {
    if (a.has_value() != b.has_value()) return false;
    if (!a) return true;
    return a->kind == b->kind && a->description == b->description && a->new_shape == b->new_shape &&
           a->maxlen == b->maxlen && a->side == b->side;
}

bool sameState(const DocumentState& a, const DocumentState& b) {
    return a.stack == b.stack && sameDataChange(a.dataChange, b.dataChange);
}

StackDocument::StackDocument(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {}

void StackDocument::reset(DocumentState state) {
    m_undo->clear();
    m_state = std::move(state);
    m_undo->setClean();
    emit changed();
    emit selectRowRequested(layerCount() > 0 ? 0 : -1);
}

void StackDocument::applyState(const DocumentState& state, int selectRow) {
    m_state = state;
    emit changed();
    emit selectRowRequested(selectRow);
}

bool StackDocument::fail(const QString& message) {
    m_lastError = message;
    return false;
}

namespace {

// A value for a required parameter that has no default, so a new layer traces.
nlohmann::json starterValue(const convscope::ParamInfo& p) {
    if (!p.default_value.is_null()) return p.default_value;
    const std::string& n = p.name;
    switch (p.kind) {
    case convscope::ParamKind::Int:
    case convscope::ParamKind::OptionalInt:
        if (n == "filters" || n == "units" || n == "out_channels" || n == "out_features") return 16;
        if (n.find("kernel") != std::string::npos) return 3;
        if (n.find("pool") != std::string::npos || n == "size") return 2;
        return std::max<int64_t>(1, static_cast<int64_t>(p.min_value));
    case convscope::ParamKind::Float: return p.min_value;
    case convscope::ParamKind::Bool: return false;
    case convscope::ParamKind::Choice: return p.choices.empty() ? nlohmann::json() : nlohmann::json(p.choices.front());
    case convscope::ParamKind::IntList: return nlohmann::json::array();
    case convscope::ParamKind::Padding: return "valid";
    case convscope::ParamKind::Pair: return 0;
    }
    return {};
}

}  // namespace

bool StackDocument::addLayer(const QString& type, int row, const nlohmann::json& presetParams) {
    const auto* kind = convscope::find_layer_kind(type.toStdString());
    if (!kind) return fail(tr("Unknown layer type \"%1\".").arg(type));
    DocumentState after = m_state;
    LayerSpec spec;
    spec.type = std::string(kind->type());
    spec.name = convscope::unique_layer_name(after.stack, spec.type);
    for (const auto& p : kind->params()) {
        if (presetParams.is_object() && presetParams.contains(p.name))
            spec.params[p.name] = presetParams[p.name];
        else if (p.required)
            spec.params[p.name] = starterValue(p);
    }
    if (row < 0 || row > layerCount()) row = layerCount();
    after.stack.layers.insert(after.stack.layers.begin() + row, spec);
    m_undo->push(new AddLayerCommand(this, m_state, after, row, QString::fromStdString(spec.type)));
    return true;
}

bool StackDocument::removeLayer(int row) {
    if (!validRow(row)) return fail(tr("No layer selected."));
    DocumentState after = m_state;
    const QString name = QString::fromStdString(after.stack.layers[row].name);
    after.stack.layers.erase(after.stack.layers.begin() + row);
    m_undo->push(new RemoveLayerCommand(this, m_state, after, row, name));
    return true;
}

bool StackDocument::duplicateLayer(int row) {
    if (!validRow(row)) return fail(tr("No layer selected."));
    DocumentState after = m_state;
    LayerSpec copy = after.stack.layers[row];
    copy.name = convscope::unique_layer_name(after.stack, copy.type);
    after.stack.layers.insert(after.stack.layers.begin() + row + 1, copy);
    m_undo->push(new DuplicateLayerCommand(this, m_state, after, row, QString::fromStdString(copy.name)));
    return true;
}

bool StackDocument::moveLayer(int from, int to) {
    if (!validRow(from)) return fail(tr("No layer selected."));
    to = std::clamp(to, 0, layerCount() - 1);
    if (from == to) return fail(tr("The layer is already there."));
    DocumentState after = m_state;
    LayerSpec moved = after.stack.layers[from];
    after.stack.layers.erase(after.stack.layers.begin() + from);
    after.stack.layers.insert(after.stack.layers.begin() + to, moved);
    m_undo->push(new MoveLayerCommand(this, m_state, after, from, to, QString::fromStdString(moved.name)));
    return true;
}

bool StackDocument::setLayerEnabled(int row, bool enabled) {
    if (!validRow(row)) return fail(tr("No layer selected."));
    if (m_state.stack.layers[row].enabled == enabled) return fail(tr("Nothing to change."));
    DocumentState after = m_state;
    after.stack.layers[row].enabled = enabled;
    m_undo->push(new SetLayerEnabledCommand(this, m_state, after, row, enabled,
                                            QString::fromStdString(after.stack.layers[row].name)));
    return true;
}

bool StackDocument::renameLayer(int row, const QString& name) {
    if (!validRow(row)) return fail(tr("No layer selected."));
    const std::string n = name.trimmed().toStdString();
    if (n.empty()) return fail(tr("A layer needs a name."));
    if (n == m_state.stack.layers[row].name) return fail(tr("Nothing to change."));
    for (size_t i = 0; i < m_state.stack.layers.size(); ++i)
        if (static_cast<int>(i) != row && m_state.stack.layers[i].name == n)
            return fail(tr("Another layer is already called \"%1\"; layer names must be unique.").arg(name.trimmed()));
    DocumentState after = m_state;
    after.stack.layers[row].name = n;
    m_undo->push(new RenameLayerCommand(this, m_state, after, row, name.trimmed()));
    return true;
}

bool StackDocument::setLayerParam(int row, const QString& param, const nlohmann::json& value) {
    if (!validRow(row)) return fail(tr("No layer selected."));
    const std::string key = param.toStdString();
    DocumentState after = m_state;
    auto& params = after.stack.layers[row].params;
    if (value.is_null()) {
        if (!params.contains(key)) return fail(tr("Nothing to change."));
        params.erase(key);
    } else {
        if (params.contains(key) && params[key] == value) return fail(tr("Nothing to change."));
        params[key] = value;
    }
    auto status = convscope::validate_layer(after.stack.layers[row], static_cast<size_t>(row));
    if (!status) return fail(QString::fromStdString(status.error().message));
    m_undo->push(new EditParamCommand(this, m_state, after, row, param,
                                      QString::fromStdString(after.stack.layers[row].name)));
    return true;
}

bool StackDocument::applyFix(const convscope::Fix& fix, const std::optional<convscope::TraceInput>& current) {
    DocumentState after;
    after.stack = fix.stack;
    after.dataChange = m_state.dataChange;
    const bool sameInput = current && current->shape == fix.traced_on.shape && current->lengths == fix.traced_on.lengths;
    if (!sameInput) {
        // The fix only passes on changed data: record the change.
        if (fix.data_change) {
            after.dataChange = fix.data_change;
        } else {
            convscope::DataChange change{convscope::DataChange::Kind::Pad, "feed data of shape " + fix.traced_on.shape.to_string(),
                                         fix.traced_on.shape};
            after.dataChange = change;
        }
        after.dataChange->new_shape = fix.traced_on.shape;
    }
    if (sameState(after, m_state)) return fail(tr("The fix changes nothing."));
    m_undo->push(new ApplyFixCommand(this, m_state, after, QString::fromStdString(fix.id),
                                     QString::fromStdString(fix.description)));
    return true;
}

bool StackDocument::replaceStack(const convscope::Stack& stack, const QString& text) {
    DocumentState after = m_state;
    after.stack = stack;
    if (sameState(after, m_state)) return fail(tr("Nothing to change."));
    m_undo->push(new ReplaceStackCommand(this, m_state, after, text));
    return true;
}

bool StackDocument::setDataChange(std::optional<convscope::DataChange> change, const QString& text) {
    DocumentState after = m_state;
    after.dataChange = std::move(change);
    if (sameState(after, m_state)) return fail(tr("Nothing to change."));
    m_undo->push(new ReplaceStackCommand(this, m_state, after, text));
    return true;
}

QString StackDocument::lastAppliedFix() const {
    if (m_undo->index() == 0) return {};
    const auto* cmd = dynamic_cast<const ApplyFixCommand*>(m_undo->command(m_undo->index() - 1));
    return cmd ? cmd->fixDescription() : QString();
}
