#include "stack/LayerStackEditor.hpp"

#include <QAction>
#include <QComboBox>
#include <QDrag>
#include <QFormLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "stack/LayerParamForm.hpp"
#include "stack/LayerStackModel.hpp"
#include "stack/StackDocument.hpp"
#include "layers/layer_kind.hpp"

namespace {

// The palette hands out layer types as drags onto the layer table.
class PaletteList : public QListWidget {
public:
    using QListWidget::QListWidget;

protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override {
        if (items.isEmpty()) return nullptr;
        auto* mime = new QMimeData;
        mime->setData(LayerStackModel::kTypeMime, items.first()->text().toUtf8());
        return mime;
    }
    QStringList mimeTypes() const override { return {LayerStackModel::kTypeMime}; }
};

QString shapeText(const convscope::Shape& s) {
    QStringList parts;
    for (int64_t d : s.dims) parts << (d == convscope::kAnyDim ? QStringLiteral("None") : QString::number(d));
    return parts.join(", ");
}

}  // namespace

LayerStackEditor::LayerStackEditor(StackDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_model(new LayerStackModel(doc, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* settings = new QFormLayout;
    m_format = new QComboBox(this);
    m_format->setObjectName("dataFormatCombo");
    m_format->addItem(tr("channels_last — Keras (batch, length, channels)"), "channels_last");
    m_format->addItem(tr("channels_first — PyTorch (batch, channels, length)"), "channels_first");
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_format->setMinimumContentsLength(14);
    m_format->setToolTip(tr("Where the stack expects the channel axis. Keras defaults to channels_last, "
                            "PyTorch's Conv1d always uses channels_first."));
    m_inputShape = new QLineEdit(this);
    m_inputShape->setObjectName("inputShapeEdit");
    m_inputShape->setPlaceholderText(tr("not declared, e.g. None, 100, 5"));
    m_inputShape->setToolTip(tr("The input shape the stack declares, batch first; None for any size. "
                                "Leave empty to build every layer from the data."));
    settings->addRow(tr("Format"), m_format);
    settings->addRow(tr("Input"), m_inputShape);
    layout->addLayout(settings);

    auto* paletteLabel = new QLabel(tr("Palette — click to add after the selection, or drag into the list"), this);
    paletteLabel->setWordWrap(true);
    paletteLabel->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(paletteLabel);
    m_palette = new PaletteList(this);
    m_palette->setObjectName("layerPalette");
    m_palette->setViewMode(QListView::ListMode);
    m_palette->setFlow(QListView::LeftToRight);
    m_palette->setWrapping(true);
    m_palette->setResizeMode(QListView::Adjust);
    m_palette->setSpacing(2);
    m_palette->setDragEnabled(true);
    m_palette->setDragDropMode(QAbstractItemView::DragOnly);
    m_palette->setMaximumHeight(96);
    for (const auto* kind : convscope::layer_catalogue()) {
        auto* item = new QListWidgetItem(QString::fromStdString(std::string(kind->type())), m_palette);
        item->setToolTip(QString::fromStdString(std::string(kind->summary())));
    }
    if (m_palette->count() > 0) m_palette->setCurrentRow(0);
    layout->addWidget(m_palette);

    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_add = new QAction(QIcon(":/icons/add.svg"), tr("&Add Layer"), this);
    m_add->setToolTip(tr("Add the palette's selected layer type after the selected layer (Ctrl+Shift+A)"));
    m_remove = new QAction(QIcon(":/icons/remove.svg"), tr("&Remove Layer"), this);
    m_duplicate = new QAction(QIcon(":/icons/duplicate.svg"), tr("D&uplicate Layer"), this);
    m_up = new QAction(QIcon(":/icons/up.svg"), tr("Move Layer &Up"), this);
    m_down = new QAction(QIcon(":/icons/down.svg"), tr("Move Layer Do&wn"), this);
    m_toggle = new QAction(QIcon(":/icons/toggle.svg"), tr("&Enable/Disable Layer"), this);
    m_add->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_remove->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Delete));
    m_duplicate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_up->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_down->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    for (QAction* a : {m_add, m_remove, m_duplicate, m_up, m_down, m_toggle}) {
        a->setShortcutContext(Qt::WindowShortcut);
        if (!a->shortcut().isEmpty())
            a->setToolTip(a->text().remove('&') + " (" + a->shortcut().toString(QKeySequence::NativeText) + ")");
        bar->addAction(a);
    }
    layout->addWidget(bar);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(split);
    m_table->setObjectName("layerTable");
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setDragEnabled(true);
    m_table->setAcceptDrops(true);
    m_table->setDropIndicatorShown(true);
    m_table->setDragDropMode(QAbstractItemView::DragDrop);
    m_table->setDefaultDropAction(Qt::MoveAction);
    m_table->setDragDropOverwriteMode(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->horizontalHeader()->setSectionResizeMode(LayerStackModel::NameColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->resizeSection(LayerStackModel::NameColumn, 96);
    m_table->horizontalHeader()->setSectionResizeMode(LayerStackModel::TypeColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(LayerStackModel::ShapeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LayerStackModel::ParamsColumn, QHeaderView::ResizeToContents);
    auto* scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new LayerParamForm;
    scroll->setWidget(m_form);
    split->addWidget(m_table);
    split->addWidget(scroll);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    connect(m_add, &QAction::triggered, this, [this] { addLayer(); });
    connect(m_remove, &QAction::triggered, this, [this] { report(m_doc->removeLayer(currentRow())); });
    connect(m_duplicate, &QAction::triggered, this, [this] { report(m_doc->duplicateLayer(currentRow())); });
    connect(m_up, &QAction::triggered, this, [this] {
        if (currentRow() > 0) report(m_doc->moveLayer(currentRow(), currentRow() - 1));
    });
    connect(m_down, &QAction::triggered, this, [this] {
        if (currentRow() >= 0 && currentRow() + 1 < m_doc->layerCount())
            report(m_doc->moveLayer(currentRow(), currentRow() + 1));
    });
    connect(m_toggle, &QAction::triggered, this, [this] {
        const int row = currentRow();
        if (row >= 0) report(m_doc->setLayerEnabled(row, !m_doc->stack().layers[size_t(row)].enabled));
    });
    connect(m_palette, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { addLayer(item->text()); });

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showCurrentInForm();
        updateActions();
        emit layerSelected(currentRow());
    });
    connect(m_form, &LayerParamForm::paramEdited, this, [this](int row, const QString& param, const nlohmann::json& v) {
        if (!m_doc->setLayerParam(row, param, v) && m_doc->lastError() != tr("Nothing to change."))
            m_form->showError(param, m_doc->lastError());
    });
    connect(m_form, &LayerParamForm::renameRequested, this, [this](int row, const QString& name) {
        if (!m_doc->renameLayer(row, name) && m_doc->lastError() != tr("Nothing to change.")) {
            m_form->showError(QString(), m_doc->lastError());
            emit errorMessage(m_doc->lastError());
        }
    });
    connect(m_form, &LayerParamForm::enabledToggled, this,
            [this](int row, bool on) { m_doc->setLayerEnabled(row, on); });
    connect(m_format, &QComboBox::activated, this, &LayerStackEditor::commitFormat);
    connect(m_inputShape, &QLineEdit::editingFinished, this, &LayerStackEditor::commitInputShape);

    connect(m_doc, &StackDocument::changed, this, &LayerStackEditor::refresh);
    connect(m_doc, &StackDocument::selectRowRequested, this, [this](int row) {
        if (row == -2) row = std::min(currentRow(), m_doc->layerCount() - 1);
        if (row == -1 && m_doc->layerCount() > 0) row = -1;
        selectRow(row);
    });
    refresh();
}

void LayerStackEditor::report(bool ok) {
    if (!ok && m_doc->lastError() != tr("Nothing to change.")) emit errorMessage(m_doc->lastError());
}

void LayerStackEditor::refresh() {
    const auto& stack = m_doc->stack();
    {
        QSignalBlocker b(m_format);
        m_format->setCurrentIndex(stack.data_format == convscope::DataFormat::ChannelsLast ? 0 : 1);
    }
    if (!m_inputShape->hasFocus())
        m_inputShape->setText(stack.input_shape ? shapeText(*stack.input_shape) : QString());
    showCurrentInForm();
    updateActions();
}

void LayerStackEditor::setTrace(const convscope::Trace* trace) {
    if (trace) m_trace = *trace;
    else m_trace.reset();
    m_model->setTrace(trace);
}

int LayerStackEditor::currentRow() const {
    const QModelIndex i = m_table->selectionModel()->currentIndex();
    return i.isValid() ? i.row() : -1;
}

void LayerStackEditor::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) {
        m_table->selectionModel()->clearCurrentIndex();
        m_table->clearSelection();
    } else {
        m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    showCurrentInForm();
    updateActions();
}

void LayerStackEditor::showCurrentInForm() {
    const int row = currentRow();
    if (row < 0 || row >= m_doc->layerCount()) m_form->setLayer(-1, nullptr);
    else m_form->setLayer(row, &m_doc->stack().layers[size_t(row)]);
}

void LayerStackEditor::updateActions() {
    const int row = currentRow();
    const int n = m_doc->layerCount();
    m_remove->setEnabled(row >= 0);
    m_duplicate->setEnabled(row >= 0);
    m_toggle->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < n);
}

bool LayerStackEditor::addLayer(const QString& requested) {
    QString type = requested;
    if (type.isEmpty() && m_palette->currentItem()) type = m_palette->currentItem()->text();
    if (type.isEmpty()) return false;
    const int row = currentRow() >= 0 ? currentRow() + 1 : m_doc->layerCount();
    // PyTorch-style layers name the size of their input; take it from the trace.
    nlohmann::json preset = nlohmann::json::object();
    if (m_trace) {
        const convscope::TraceStep* before = nullptr;
        for (const auto& s : m_trace->steps)
            if (s.index == row - 1) before = &s;
        if (before && before->out) {
            const auto& t = *before->out;
            if (int64_t c = t.dim(convscope::AxisRole::Channels); c > 0) preset["in_channels"] = c;
            if (int64_t f = t.dim(convscope::AxisRole::Features); f > 0) preset["in_features"] = f;
            else if (int64_t c = t.dim(convscope::AxisRole::Channels); c > 0) preset["in_features"] = c;
        }
    }
    const bool ok = m_doc->addLayer(type, row, preset);
    report(ok);
    return ok;
}

void LayerStackEditor::commitFormat(int index) {
    convscope::Stack s = m_doc->stack();
    s.data_format = index == 0 ? convscope::DataFormat::ChannelsLast : convscope::DataFormat::ChannelsFirst;
    report(m_doc->replaceStack(s, tr("Set data format to %1").arg(m_format->currentData().toString())));
}

void LayerStackEditor::commitInputShape() {
    convscope::Stack s = m_doc->stack();
    const QString text = m_inputShape->text().trimmed();
    m_inputShape->setStyleSheet(QString());
    if (text.isEmpty()) {
        s.input_shape.reset();
    } else {
        QString t = text;
        t.remove('(').remove(')').remove('[').remove(']');
        std::vector<int64_t> dims;
        for (const QString& part : t.split(',', Qt::SkipEmptyParts)) {
            const QString p = part.trimmed();
            bool ok = false;
            const qlonglong v = p.toLongLong(&ok);
            if (p.compare("none", Qt::CaseInsensitive) == 0 || p == "?" || p == "-1") {
                dims.push_back(convscope::kAnyDim);
            } else if (ok && v > 0) {
                dims.push_back(v);
            } else {
                m_inputShape->setStyleSheet("border: 2px solid #d32f2f;");
                emit errorMessage(tr("Input shape: \"%1\" is not a size; write numbers or None, "
                                     "separated by commas, e.g. None, 100, 5.").arg(p));
                return;
            }
        }
        s.input_shape = convscope::Shape(dims);
    }
    m_doc->replaceStack(s, tr("Set input shape"));
}
