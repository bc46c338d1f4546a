// Editing a stack through the real editor widgets: the palette, the layer
// table (enable check box, drag-and-drop reorder), the generated parameter form
// with its validation and tooltips; every edit one undo step.
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QSpinBox>
#include <QTableView>
#include <QUndoStack>

#include "GuiTestSupport.hpp"
#include "stack/LayerParamForm.hpp"
#include "stack/LayerStackEditor.hpp"
#include "stack/LayerStackModel.hpp"
#include "stack/StackCommands.hpp"
#include "stack/StackDocument.hpp"
#include "layers/layer_kind.hpp"

namespace {
std::vector<std::string> names(const StackDocument& d) {
    std::vector<std::string> out;
    for (const auto& l : d.stack().layers) out.push_back(l.name);
    return out;
}
}  // namespace

class StackEditorTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { isolateSettings(); }

    void everyEditIsOneUndoStep() {
        StackDocument doc;
        QUndoStack* undo = doc.undoStack();
        QVERIFY(doc.addLayer("Conv1D"));
        QVERIFY(doc.addLayer("MaxPooling1D"));
        QVERIFY(doc.addLayer("Conv1D"));
        QCOMPARE(undo->count(), 3);
        QCOMPARE(names(doc), (std::vector<std::string>{"conv1d", "max_pooling1d", "conv1d_1"}));

        // Spinning one parameter merges into one step.
        QVERIFY(doc.setLayerParam(0, "kernel_size", 5));
        QVERIFY(doc.setLayerParam(0, "kernel_size", 7));
        QVERIFY(doc.setLayerParam(0, "kernel_size", 9));
        QCOMPARE(undo->count(), 4);
        QCOMPARE(doc.stack().layers[0].params["kernel_size"].get<int>(), 9);
        undo->undo();
        QVERIFY(!doc.stack().layers[0].params.contains("kernel_size") ||
                doc.stack().layers[0].params["kernel_size"].get<int>() != 9);
        undo->redo();
        QCOMPARE(doc.stack().layers[0].params["kernel_size"].get<int>(), 9);

        // A rejected value changes nothing and adds no step.
        QVERIFY(!doc.setLayerParam(0, "kernel_size", 0));
        QVERIFY(!doc.lastError().isEmpty());
        QVERIFY(!doc.setLayerParam(0, "padding", "sideways"));
        QCOMPARE(undo->count(), 4);

        QVERIFY(doc.duplicateLayer(0));
        QCOMPARE(doc.layerCount(), 4);
        QCOMPARE(doc.stack().layers[1].type, std::string("Conv1D"));
        QCOMPARE(doc.stack().layers[1].params["kernel_size"].get<int>(), 9);
        QVERIFY(doc.stack().layers[1].name != doc.stack().layers[0].name);

        QVERIFY(doc.moveLayer(3, 0));
        QCOMPARE(doc.stack().layers[0].name, std::string("conv1d_1"));
        QVERIFY(doc.setLayerEnabled(0, false));
        QVERIFY(!doc.stack().layers[0].enabled);
        QVERIFY(!doc.renameLayer(0, "conv1d"));  // taken
        QVERIFY(doc.lastError().contains("unique"));
        QVERIFY(doc.renameLayer(0, "head"));
        QVERIFY(doc.removeLayer(1));
        QCOMPARE(doc.layerCount(), 3);
        QCOMPARE(undo->count(), 9);

        // Undo everything: back to the empty stack.
        while (undo->canUndo()) undo->undo();
        QCOMPARE(doc.layerCount(), 0);
        while (undo->canRedo()) undo->redo();
        QCOMPARE(names(doc), (std::vector<std::string>{"head", "conv1d_2", "max_pooling1d"}));
        QVERIFY(!doc.stack().layers[0].enabled);
    }

    void paletteTableAndFormDriveTheDocument() {
        StackDocument doc;
        LayerStackEditor editor(&doc);
        editor.resize(420, 800);
        editor.show();
        QVERIFY(editor.palette()->count() == int(convscope::layer_catalogue().size()));

        // Click "Conv1D" in the palette.
        const auto found = editor.palette()->findItems("Conv1D", Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        QListWidgetItem* conv = found.first();
        QVERIFY(!conv->toolTip().isEmpty());
        editor.palette()->scrollToItem(conv);
        QTest::mouseClick(editor.palette()->viewport(), Qt::LeftButton, {},
                          editor.palette()->visualItemRect(conv).center());
        QCOMPARE(doc.layerCount(), 1);
        QCOMPARE(editor.table()->model()->rowCount(), 1);
        QCOMPARE(editor.currentRow(), 0);

        // The form is generated from the schema, with the help text as tooltip.
        LayerParamForm* form = editor.form();
        auto* kernel = qobject_cast<QSpinBox*>(form->editorFor("kernel_size"));
        QVERIFY(kernel);
        const auto* kind = convscope::find_layer_kind("Conv1D");
        for (const auto& p : kind->params()) {
            QWidget* e = form->editorFor(QString::fromStdString(p.name));
            QVERIFY2(e, p.name.c_str());
            QVERIFY(e->toolTip().startsWith(QString::fromStdString(p.help)));
        }
        kernel->setValue(11);
        QCOMPARE(doc.stack().layers[0].params["kernel_size"].get<int>(), 11);
        QCOMPARE(doc.undoStack()->count(), 2);

        // A padding the schema rejects is marked and not applied.
        auto* padding = qobject_cast<QComboBox*>(form->editorFor("padding"));
        QVERIFY(padding);
        padding->setEditText("sideways");
        emit padding->lineEdit()->editingFinished();
        QVERIFY(!form->errorText().isEmpty());
        QVERIFY(padding->styleSheet().contains("#d32f2f"));
        QCOMPARE(doc.undoStack()->count(), 2);
        // A valid explicit [left, right] padding is applied as a list.
        padding->setEditText("[2, 1]");
        emit padding->lineEdit()->editingFinished();
        QVERIFY(doc.stack().layers[0].params["padding"] == nlohmann::json::array({2, 1}));
        QVERIFY(form->errorText().isEmpty());

        // The name field renames (and refuses a duplicate).
        QVERIFY(doc.addLayer("Conv1D"));
        editor.selectRow(1);
        form->nameEdit()->setText("conv1d");
        emit form->nameEdit()->editingFinished();
        QCOMPARE(doc.stack().layers[1].name, std::string("conv1d_1"));
        form->nameEdit()->setText("head");
        emit form->nameEdit()->editingFinished();
        QCOMPARE(doc.stack().layers[1].name, std::string("head"));

        // The check box in the table disables the layer.
        LayerStackModel* model = editor.model();
        QVERIFY(model->setData(model->index(1, LayerStackModel::NameColumn), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!doc.stack().layers[1].enabled);

        // Actions: move up, duplicate, remove.
        editor.selectRow(1);
        editor.moveUpAction()->trigger();
        QCOMPARE(doc.stack().layers[0].name, std::string("head"));
        QCOMPARE(editor.currentRow(), 0);
        editor.duplicateAction()->trigger();
        QCOMPARE(doc.layerCount(), 3);
        editor.removeAction()->trigger();
        QCOMPARE(doc.layerCount(), 2);
    }

    void dragAndDropReordersAndInserts() {
        StackDocument doc;
        LayerStackModel model(&doc);
        QVERIFY(doc.addLayer("Conv1D"));
        QVERIFY(doc.addLayer("MaxPooling1D"));
        QVERIFY(doc.addLayer("Flatten"));
        const int steps = doc.undoStack()->count();
        // Drag row 0 below row 2 (drop before the end).
        std::unique_ptr<QMimeData> mime(model.mimeData({model.index(0, 0)}));
        QVERIFY(model.canDropMimeData(mime.get(), Qt::MoveAction, 3, 0, {}));
        QVERIFY(!model.dropMimeData(mime.get(), Qt::MoveAction, 3, 0, {}));  // the view must not remove rows itself
        QTRY_COMPARE(doc.undoStack()->count(), steps + 1);
        QCOMPARE(names(doc), (std::vector<std::string>{"max_pooling1d", "flatten", "conv1d"}));
        // A palette type dropped onto row 1 is inserted there.
        QMimeData typeMime;
        typeMime.setData(LayerStackModel::kTypeMime, "Dense");
        model.dropMimeData(&typeMime, Qt::CopyAction, 1, 0, {});
        QTRY_COMPARE(doc.layerCount(), 4);
        QCOMPARE(doc.stack().layers[1].type, std::string("Dense"));
        QCOMPARE(doc.undoStack()->count(), steps + 2);
    }
};

QTEST_MAIN(StackEditorTest)
#include "test_stack_editor.moc"
