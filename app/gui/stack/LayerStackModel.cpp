#include "stack/LayerStackModel.hpp"

#include <QApplication>
#include <QFont>
#include <QIODevice>
#include <QLocale>
#include <QMimeData>
#include <QPalette>
#include <QTimer>

#include "stack/StackDocument.hpp"
#include "shared/Theme.hpp"

LayerStackModel::LayerStackModel(StackDocument* doc, QObject* parent) : QAbstractTableModel(parent), m_doc(doc) {
    connect(doc, &StackDocument::changed, this, &LayerStackModel::reload);
}

void LayerStackModel::reload() {
    beginResetModel();
    // A trace of the previous stack would label the wrong rows.
    m_trace.reset();
    endResetModel();
}

void LayerStackModel::setTrace(const convscope::Trace* trace) {
    if (trace) m_trace = *trace;
    else m_trace.reset();
    if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const convscope::TraceStep* LayerStackModel::stepForRow(int row) const {
    if (!m_trace) return nullptr;
    for (const auto& s : m_trace->steps)
        if (s.index == row) return &s;
    return nullptr;
}

int LayerStackModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_doc->layerCount();
}

int LayerStackModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerStackModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto& layer = m_doc->stack().layers[static_cast<size_t>(index.row())];
    const auto* step = stepForRow(index.row());
    const bool failing = step && step->error.has_value();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(layer.name);
        case TypeColumn: return QString::fromStdString(layer.type);
        case ShapeColumn:
            if (!step) return QString();
            if (failing) return tr("✗ fails");
            return step->out ? QString::fromStdString(step->out->shape.to_string()) : QStringLiteral("—");
        case ParamsColumn: return step && !failing ? QVariant(QLocale().toString(qlonglong(step->params))) : QVariant();
        }
        break;
    case Qt::CheckStateRole:
        if (index.column() == NameColumn) return layer.enabled ? Qt::Checked : Qt::Unchecked;
        break;
    case Qt::ForegroundRole:
        if (failing) return Theme::failing();
        if (!layer.enabled) return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        break;
    case Qt::FontRole:
        if (failing || index.column() == ShapeColumn) {
            QFont f;
            if (index.column() == ShapeColumn) f.setFamily("DejaVu Sans Mono");
            f.setBold(failing);
            return f;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == ParamsColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        if (failing) return QString::fromStdString(step->error->explanation);
        if (!layer.enabled) return tr("Disabled: kept in the stack but skipped.");
        if (step && !step->length_rule.empty()) return QString::fromStdString(step->length_rule);
        break;
    }
    return {};
}

QVariant LayerStackModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
    case NameColumn: return tr("Layer");
    case TypeColumn: return tr("Type");
    case ShapeColumn: return tr("Output");
    case ParamsColumn: return tr("Params");
    }
    return {};
}

Qt::ItemFlags LayerStackModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
    if (index.column() == NameColumn) f |= Qt::ItemIsUserCheckable | Qt::ItemIsEditable;
    return f;
}

bool LayerStackModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != NameColumn) return false;
    if (role == Qt::CheckStateRole)
        return m_doc->setLayerEnabled(index.row(), value.toInt() == Qt::Checked);
    if (role == Qt::EditRole) return m_doc->renameLayer(index.row(), value.toString());
    return false;
}

Qt::DropActions LayerStackModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }
Qt::DropActions LayerStackModel::supportedDragActions() const { return Qt::MoveAction; }

QStringList LayerStackModel::mimeTypes() const { return {kRowMime, kTypeMime}; }

QMimeData* LayerStackModel::mimeData(const QModelIndexList& indexes) const {
    if (indexes.isEmpty()) return nullptr;
    auto* mime = new QMimeData;
    mime->setData(kRowMime, QByteArray::number(indexes.first().row()));
    return mime;
}

bool LayerStackModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const {
    return data && (data->hasFormat(kRowMime) || data->hasFormat(kTypeMime));
}

bool LayerStackModel::dropMimeData(const QMimeData* data, Qt::DropAction, int row, int, const QModelIndex& parent) {
    if (!data) return false;
    int target = row;
    if (target < 0) target = parent.isValid() ? parent.row() : rowCount();
    // The edit resets this model; let the view finish its drop first. Returning
    // false keeps the view from removing the dragged row itself.
    if (data->hasFormat(kRowMime)) {
        const int from = data->data(kRowMime).toInt();
        const int to = target > from ? target - 1 : target;
        QTimer::singleShot(0, m_doc, [doc = m_doc, from, to] { doc->moveLayer(from, to); });
        return false;
    }
    if (data->hasFormat(kTypeMime)) {
        const QString type = QString::fromUtf8(data->data(kTypeMime));
        QTimer::singleShot(0, m_doc, [doc = m_doc, type, target] { doc->addLayer(type, target); });
        return false;
    }
    return false;
}
