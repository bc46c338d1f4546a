#include "dataset/SequenceListModel.hpp"

SequenceListModel::SequenceListModel(QObject* parent) : QAbstractTableModel(parent) {}

void SequenceListModel::setDataset(const convscope::data::Dataset* dataset, bool transposed) {
    beginResetModel();
    if (dataset) m_dataset = *dataset;
    else m_dataset.reset();
    m_transposed = transposed;
    endResetModel();
}

int SequenceListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_dataset ? 0 : int(std::min<int64_t>(m_dataset->size(), 1'000'000));
}

int SequenceListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : (m_dataset && m_dataset->has_labels() ? ColumnCount : ColumnCount - 1);
}

QVariant SequenceListModel::data(const QModelIndex& index, int role) const {
    if (!m_dataset || !index.isValid()) return {};
    const int64_t i = index.row();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(m_dataset->name(i));
        case LengthColumn: return qlonglong(m_transposed ? m_dataset->channels() : m_dataset->length(i));
        case LabelColumn: {
            auto l = m_dataset->label(i);
            return l ? QString::fromStdString(*l) : QString();
        }
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == LengthColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SequenceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
    switch (section) {
    case NameColumn: return tr("Sequence");
    case LengthColumn: return tr("Steps");
    case LabelColumn: return tr("Label");
    }
    return {};
}
