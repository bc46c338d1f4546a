// The layers of the document as a table (name + enabled, type, output shape,
// parameter count). Reordering by drag and drop, renaming and the enabled
// check box all go through StackDocument, so each is one undoable edit.
#pragma once

#include <QAbstractTableModel>
#include <optional>

#include "diagnosis/shape_trace.hpp"

class StackDocument;

class LayerStackModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, ShapeColumn, ParamsColumn, ColumnCount };
    static constexpr const char* kRowMime = "application/x-convscope-layer-row";
    static constexpr const char* kTypeMime = "application/x-convscope-layer-type";

    explicit LayerStackModel(StackDocument* doc, QObject* parent = nullptr);

    void setTrace(const convscope::Trace* trace);  // nullptr: no trace yet

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    // The trace step that shows layer `row`, or nullptr.
    const convscope::TraceStep* stepForRow(int row) const;

private:
    void reload();

    StackDocument* m_doc;
    std::optional<convscope::Trace> m_trace;
};
