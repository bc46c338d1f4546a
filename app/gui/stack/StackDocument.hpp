// Folder stack/: the edited layer stack (document, undo commands) and its editor widgets; includes only shared/.
// The stack under edit plus the data change a fix may have asked for. Every edit
// goes through a QUndoCommand (StackCommands) so Ctrl+Z undoes it; widgets only
// read from here and listen to changed().
#pragma once

#include <QObject>
#include <QString>
#include <QUndoStack>
#include <nlohmann/json.hpp>
#include <optional>

#include "diagnosis/shape_trace.hpp"
#include "layers/stack.hpp"

struct DocumentState {
    convscope::Stack stack;
    // Set when a fix belongs to the data (transpose, pad): the trace then runs on
    // the changed data and the data views show it changed.
    std::optional<convscope::DataChange> dataChange;
};

bool sameDataChange(const std::optional<convscope::DataChange>& a, const std::optional<convscope::DataChange>& b);
bool sameState(const DocumentState& a, const DocumentState& b);

class StackDocument : public QObject {
    Q_OBJECT
public:
    explicit StackDocument(QObject* parent = nullptr);

    const DocumentState& state() const { return m_state; }
    const convscope::Stack& stack() const { return m_state.stack; }
    QUndoStack* undoStack() const { return m_undo; }

    // A freshly opened stack: history cleared, clean.
    void reset(DocumentState state);
    // Used by the undo commands only.
    void applyState(const DocumentState& state, int selectRow);

    // Edits. Each pushes exactly one undo command and returns true, or leaves
    // everything as it was and returns false with lastError() saying why.
    bool addLayer(const QString& type, int row = -1, const nlohmann::json& presetParams = nlohmann::json::object());
    bool removeLayer(int row);
    bool duplicateLayer(int row);
    bool moveLayer(int from, int to);
    bool setLayerEnabled(int row, bool enabled);
    bool renameLayer(int row, const QString& name);
    // A null value removes the parameter (back to its default).
    bool setLayerParam(int row, const QString& param, const nlohmann::json& value);
    // `current` is what the stack is fed now. A fix traced on other data (padded,
    // reshaped) records that data change too, so the trace runs on it.
    bool applyFix(const convscope::Fix& fix, const std::optional<convscope::TraceInput>& current);
    bool replaceStack(const convscope::Stack& stack, const QString& text);
    bool setDataChange(std::optional<convscope::DataChange> change, const QString& text);

    // The description of the fix the most recent command applied, or empty.
    QString lastAppliedFix() const;
    QString lastError() const { return m_lastError; }
    int layerCount() const { return static_cast<int>(m_state.stack.layers.size()); }

signals:
    void changed();
    void selectRowRequested(int row);

private:
    bool fail(const QString& message);
    bool validRow(int row) const { return row >= 0 && row < layerCount(); }

    DocumentState m_state;
    QUndoStack* m_undo;
    QString m_lastError;
};
