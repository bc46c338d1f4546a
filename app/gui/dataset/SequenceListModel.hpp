// The sequences of the loaded dataset: name, length, label.
#pragma once

#include <QAbstractTableModel>
#include <optional>

#include "data/dataset.hpp"

class SequenceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, LengthColumn, LabelColumn, ColumnCount };
    explicit SequenceListModel(QObject* parent = nullptr);

    void setDataset(const convscope::data::Dataset* dataset, bool transposed);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::optional<convscope::data::Dataset> m_dataset;
    bool m_transposed = false;
};
