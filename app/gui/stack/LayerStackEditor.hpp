// The layer-stack dock: the stack's data format and declared input shape, a
// palette of every layer type the engine knows (click or drag to add), the
// layer table (drag to reorder, check to enable) and the selected layer's form.
#pragma once

#include <QWidget>

#include "diagnosis/shape_trace.hpp"

class QAction;
class QComboBox;
class QLineEdit;
class QListWidget;
class QTableView;
class LayerParamForm;
class LayerStackModel;
class StackDocument;

class LayerStackEditor : public QWidget {
    Q_OBJECT
public:
    explicit LayerStackEditor(StackDocument* doc, QWidget* parent = nullptr);

    void setTrace(const convscope::Trace* trace);
    int currentRow() const;
    void selectRow(int row);

    // Adds the palette's current type (or `type`) after the selected layer.
    bool addLayer(const QString& type = {});

    QAction* addAction() const { return m_add; }
    QAction* removeAction() const { return m_remove; }
    QAction* duplicateAction() const { return m_duplicate; }
    QAction* moveUpAction() const { return m_up; }
    QAction* moveDownAction() const { return m_down; }
    QAction* toggleEnabledAction() const { return m_toggle; }

    QTableView* table() const { return m_table; }
    QListWidget* palette() const { return m_palette; }
    LayerParamForm* form() const { return m_form; }
    LayerStackModel* model() const { return m_model; }
    QComboBox* formatCombo() const { return m_format; }
    QLineEdit* inputShapeEdit() const { return m_inputShape; }

signals:
    void layerSelected(int row);     // -1: none
    void errorMessage(const QString& message);

private:
    void refresh();
    void updateActions();
    void showCurrentInForm();
    void commitInputShape();
    void commitFormat(int index);
    void report(bool ok);

    StackDocument* m_doc;
    LayerStackModel* m_model;
    QComboBox* m_format;
    QLineEdit* m_inputShape;
    QListWidget* m_palette;
    QTableView* m_table;
    LayerParamForm* m_form;
    QAction* m_add;
    QAction* m_remove;
    QAction* m_duplicate;
    QAction* m_up;
    QAction* m_down;
    QAction* m_toggle;
    std::optional<convscope::Trace> m_trace;
};
