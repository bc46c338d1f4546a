#include "stack/StackCommands.hpp"

#include <QCoreApplication>

namespace {
QString tr(const char* s) { return QCoreApplication::translate("StackCommands", s); }
}  // namespace

StackSnapshotCommand::StackSnapshotCommand(StackDocument* doc, DocumentState before, DocumentState after,
                                           int selectBefore, int selectAfter, const QString& text)
    : QUndoCommand(text),
      m_doc(doc),
      m_before(std::move(before)),
      m_after(std::move(after)),
      m_selectBefore(selectBefore),
      m_selectAfter(selectAfter) {}

void StackSnapshotCommand::undo() { m_doc->applyState(m_before, m_selectBefore); }
void StackSnapshotCommand::redo() { m_doc->applyState(m_after, m_selectAfter); }

AddLayerCommand::AddLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                                 const QString& type)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row - 1, row, tr("Add %1").arg(type)) {}

RemoveLayerCommand::RemoveLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                                       const QString& name)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row, std::max(0, row - 1),
                           tr("Remove %1").arg(name)) {
    if (m_after.stack.layers.empty()) m_selectAfter = -1;
}

DuplicateLayerCommand::DuplicateLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                                             const QString& newName)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row, row + 1,
                           tr("Duplicate as %1").arg(newName)) {}

MoveLayerCommand::MoveLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int from, int to,
                                   const QString& name)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), from, to, tr("Move %1").arg(name)) {}

SetLayerEnabledCommand::SetLayerEnabledCommand(StackDocument* doc, DocumentState before, DocumentState after,
                                               int row, bool enabled, const QString& name)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row, row,
                           (enabled ? tr("Enable %1") : tr("Disable %1")).arg(name)) {}

RenameLayerCommand::RenameLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                                       const QString& name)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row, row, tr("Rename to %1").arg(name)) {}

EditParamCommand::EditParamCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                                   const QString& param, const QString& layerName)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), row, row,
                           tr("Set %1 of %2").arg(param, layerName)),
      m_row(row),
      m_param(param) {}

bool EditParamCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const EditParamCommand*>(other);
    if (!o || o->m_row != m_row || o->m_param != m_param) return false;
    m_after = o->m_after;
    return true;
}

ApplyFixCommand::ApplyFixCommand(StackDocument* doc, DocumentState before, DocumentState after, const QString& fixId,
                                 const QString& description)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), -2, -2, tr("Fix: %1").arg(description)),
      m_fixId(fixId),
      m_description(description) {}

ReplaceStackCommand::ReplaceStackCommand(StackDocument* doc, DocumentState before, DocumentState after,
                                         const QString& text)
    : StackSnapshotCommand(doc, std::move(before), std::move(after), -2, -2, text) {}
