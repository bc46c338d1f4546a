// Folder dataset/: the open sequence file (background loading, the data dock, the sequence list); includes stack/, outputs/ and shared/.
// The data dock: the open file, its shape as stored and as the stack sees it,
// the sequence list (name, steps, label) and what the inspector noticed.
#pragma once

#include <QWidget>
#include <optional>

#include "stack/StackDocument.hpp"
#include "data/dataset.hpp"
#include "data/sequence_reading.hpp"

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class SequenceListModel;

class DataPanel : public QWidget {
    Q_OBJECT
public:
    explicit DataPanel(QWidget* parent = nullptr);

    void setDataset(const QString& path, const convscope::data::Dataset* dataset, const DocumentState& state);
    void setDocumentState(const DocumentState& state);  // refreshes the "as the stack sees it" line
    void setLoading(const QString& path);
    int currentSequence() const;
    void selectSequence(int index);
    QStringList findings() const;
    QString shapeText() const;  // the header: format, dtype, the data as read, the stored shape
    // That header for `dataset`: counts follow the engine's reading (data/sequence_reading.hpp).
    static QString headerText(const convscope::data::Dataset& dataset);
    QTableView* sequenceTable() const { return m_table; }
    QPushButton* revertDataChangeButton() const { return m_revert; }

signals:
    void openRequested();
    void sequenceSelected(int index);
    void revertDataChangeRequested();

private:
    void refreshFindings();
    // The data as the stack reads it once a fix swapped its axes: nullopt otherwise.
    struct StackView {
        convscope::data::SequenceReading reading;
        int lengthAxis = 1;  // the stored axis read as length
        QString reason;
    };
    std::optional<StackView> stackView() const;
    bool listTransposed() const;

    std::optional<convscope::data::Dataset> m_dataset;
    std::optional<convscope::data::SequenceReading> m_reading;  // the engine's reading of m_dataset
    QString m_path;
    DocumentState m_state;
    QLabel* m_file;
    QLabel* m_shape;
    QLabel* m_change;
    QPushButton* m_revert;
    QTableView* m_table;
    SequenceListModel* m_model;
    QListWidget* m_findings;
};
