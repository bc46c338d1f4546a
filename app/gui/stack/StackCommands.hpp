// The undoable edits of a stack. Stacks are small, so every command keeps the
// whole document state before and after; undo/redo swap them in.
#pragma once

#include <QString>
#include <QUndoCommand>

#include "stack/StackDocument.hpp"

class StackSnapshotCommand : public QUndoCommand {
public:
    StackSnapshotCommand(StackDocument* doc, DocumentState before, DocumentState after, int selectBefore,
                         int selectAfter, const QString& text);
    void undo() override;
    void redo() override;

protected:
    StackDocument* m_doc;
    DocumentState m_before;
    DocumentState m_after;
    int m_selectBefore;
    int m_selectAfter;
};

class AddLayerCommand : public StackSnapshotCommand {
public:
    AddLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row, const QString& type);
};

class RemoveLayerCommand : public StackSnapshotCommand {
public:
    RemoveLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row, const QString& name);
};

class DuplicateLayerCommand : public StackSnapshotCommand {
public:
    DuplicateLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row,
                          const QString& newName);
};

class MoveLayerCommand : public StackSnapshotCommand {
public:
    MoveLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int from, int to,
                     const QString& name);
};

class SetLayerEnabledCommand : public StackSnapshotCommand {
public:
    SetLayerEnabledCommand(StackDocument* doc, DocumentState before, DocumentState after, int row, bool enabled,
                           const QString& name);
};

class RenameLayerCommand : public StackSnapshotCommand {
public:
    RenameLayerCommand(StackDocument* doc, DocumentState before, DocumentState after, int row, const QString& name);
};

// Consecutive edits of the same parameter of the same layer merge into one step,
// so spinning a spin box from 3 to 9 is undone in one Ctrl+Z.
class EditParamCommand : public StackSnapshotCommand {
public:
    enum { Id = 1001 };
    EditParamCommand(StackDocument* doc, DocumentState before, DocumentState after, int row, const QString& param,
                     const QString& layerName);
    int id() const override { return Id; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    int m_row;
    QString m_param;
};

class ApplyFixCommand : public StackSnapshotCommand {
public:
    ApplyFixCommand(StackDocument* doc, DocumentState before, DocumentState after, const QString& fixId,
                    const QString& description);
    QString fixId() const { return m_fixId; }
    QString fixDescription() const { return m_description; }

private:
    QString m_fixId;
    QString m_description;
};

class ReplaceStackCommand : public StackSnapshotCommand {
public:
    ReplaceStackCommand(StackDocument* doc, DocumentState before, DocumentState after, const QString& text);
};
