#include "dataset/DataPanel.hpp"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "outputs/ForwardPassAdapter.hpp"
#include "dataset/SequenceListModel.hpp"
#include "data/sequence_reading.hpp"
#include "diagnosis/input_axes.hpp"

namespace {
QString dimsText(const std::vector<int64_t>& d) {
    QStringList parts;
    for (int64_t v : d) parts << QString::number(v);
    return "(" + parts.join(", ") + ")";
}
}  // namespace

DataPanel::DataPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* top = new QHBoxLayout;
    m_file = new QLabel(tr("No data open"), this);
    m_file->setObjectName("dataFileLabel");
    m_file->setWordWrap(true);
    QFont bf = m_file->font();
    bf.setBold(true);
    m_file->setFont(bf);
    auto* open = new QPushButton(QIcon(":/icons/open-data.svg"), tr("Open…"), this);
    open->setToolTip(tr("Open a sequence file: .npy, .npz, .csv, .tsv, UCR, .ts, .wav/.flac (Ctrl+Shift+O). "
                        "You can also drop a file on the window."));
    top->addWidget(m_file, 1);
    top->addWidget(open);
    layout->addLayout(top);
    m_shape = new QLabel(this);
    m_shape->setObjectName("dataShapeLabel");
    m_shape->setWordWrap(true);
    layout->addWidget(m_shape);
    auto* changeRow = new QHBoxLayout;
    m_change = new QLabel(this);
    m_change->setObjectName("dataChangeLabel");
    m_change->setWordWrap(true);
    m_change->setStyleSheet("color: #2e7d32;");
    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setToolTip(tr("Feed the data as stored again (undoable)"));
    changeRow->addWidget(m_change, 1);
    changeRow->addWidget(m_revert);
    layout->addLayout(changeRow);
    m_change->hide();
    m_revert->hide();

    m_model = new SequenceListModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName("sequenceTable");
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(20);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    layout->addWidget(m_table, 3);
    auto* findingsLabel = new QLabel(tr("Findings"), this);
    findingsLabel->setFont(bf);
    layout->addWidget(findingsLabel);
    m_findings = new QListWidget(this);
    m_findings->setObjectName("findingsList");
    m_findings->setWordWrap(true);
    layout->addWidget(m_findings, 2);

    connect(open, &QPushButton::clicked, this, &DataPanel::openRequested);
    connect(m_revert, &QPushButton::clicked, this, &DataPanel::revertDataChangeRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& i) { emit sequenceSelected(i.isValid() ? i.row() : -1); });
}

void DataPanel::setLoading(const QString& path) {
    m_file->setText(tr("Opening %1…").arg(QFileInfo(path).fileName()));
}

void DataPanel::setDataset(const QString& path, const convscope::data::Dataset* dataset, const DocumentState& state) {
    m_path = path;
    if (dataset) m_dataset = *dataset;
    else m_dataset.reset();
    m_state = state;
    m_file->setText(dataset ? QFileInfo(path).fileName() : tr("No data open"));
    m_file->setToolTip(QDir::toNativeSeparators(path));
    m_reading.reset();
    if (dataset) m_reading = convscope::data::read_dataset(*dataset, convscope::data::guess_layout(*dataset));
    m_model->setDataset(dataset, dataset && listTransposed());
    m_table->resizeColumnsToContents();
    if (dataset && dataset->size() > 0) selectSequence(0);
    setDocumentState(state);
}

void DataPanel::setDocumentState(const DocumentState& state) {
    m_state = state;
    if (m_dataset) m_model->setDataset(&*m_dataset, listTransposed());
    if (m_state.dataChange) {
        m_change->setText(tr("✓ Data change applied: %1").arg(QString::fromStdString(m_state.dataChange->description)));
        m_change->show();
        m_revert->show();
    } else {
        m_change->hide();
        m_revert->hide();
    }
    refreshFindings();
}

int DataPanel::currentSequence() const {
    const QModelIndex i = m_table->selectionModel()->currentIndex();
    return i.isValid() ? i.row() : (m_dataset && m_dataset->size() > 0 ? 0 : -1);
}

void DataPanel::selectSequence(int index) {
    if (index < 0 || index >= m_model->rowCount()) return;
    m_table->selectionModel()->setCurrentIndex(m_model->index(index, 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString DataPanel::shapeText() const { return m_shape->text(); }

QStringList DataPanel::findings() const {
    QStringList out;
    for (int i = 0; i < m_findings->count(); ++i) out << m_findings->item(i)->text();
    return out;
}

bool DataPanel::listTransposed() const {
    // The list's steps are the data's as read (the layout guess), like the header above it.
    return m_reading && m_reading->steps_are_channels;
}

QString DataPanel::headerText(const convscope::data::Dataset& d) {
    // Counts follow the engine's reading of the data (the layout guess), as `inspect` and the trace do.
    const auto guess = convscope::data::guess_layout(d);
    const auto reading = convscope::data::read_dataset(d, guess);
    QString text = tr("%1 · %2 · %3")
                       .arg(QString::fromStdString(d.format()), QString::fromStdString(d.dtype()),
                            QString::fromStdString(reading.summary()));
    if (auto s = d.array_shape()) {
        text += "\n" + tr("stored as %1").arg(dimsText(*s));
        if (reading.steps_are_channels || reading.sequences_are_steps)
            text += tr(", read as %1 (the layout guess)").arg(QString::fromStdString(guess.layout));
    }
    return text;
}

std::optional<DataPanel::StackView> DataPanel::stackView() const {
    if (!m_dataset) return std::nullopt;
    const auto s = m_dataset->array_shape();
    if (!s || s->size() != 3) return std::nullopt;
    // Only a fix (a transpose of the data or a leading Permute) makes the stack's reading
    // worth a header of its own; otherwise the layout guess stands. The sequence plot
    // follows the same rule (ForwardPassAdapter::panelTransposed).
    const auto axis = ForwardPassAdapter::fixedReadingLengthAxis(*m_dataset, m_state);
    if (!axis) return std::nullopt;
    const bool transposedData = m_state.dataChange && m_state.dataChange->kind == convscope::DataChange::Kind::Transpose;
    StackView v;
    v.lengthAxis = *axis;
    v.reading.sequences = (*s)[0];
    v.reading.steps = (*s)[size_t(v.lengthAxis)];
    v.reading.channels = (*s)[size_t(3 - v.lengthAxis)];
    v.reason = transposedData ? tr("the data transposed") : tr("the stack's leading Permute((2, 1))");
    return v;
}

void DataPanel::refreshFindings() {
    m_findings->clear();
    if (!m_dataset) {
        m_shape->setText(tr("Open a file of sequences to trace the stack on its real shape."));
        return;
    }
    const auto& d = *m_dataset;
    const int64_t n = d.size();
    const auto view = stackView();
    QString header = headerText(d);
    // After a fix swapped the axes, the counts are the stack's (the header must not keep
    // the reading the fix corrected); the stored shape stays on the second line.
    if (view)
        header = tr("%1 · %2 · %3, as the stack reads it (%4)")
                     .arg(QString::fromStdString(d.format()), QString::fromStdString(d.dtype()),
                          QString::fromStdString(view->reading.summary()), view->reason) +
                 "\n" + tr("stored as %1").arg(dimsText(*d.array_shape()));
    m_shape->setText(header);

    auto add = [this](const QString& text, bool warn) {
        auto* item = new QListWidgetItem((warn ? QStringLiteral("⚠ ") : QStringLiteral("• ")) + text, m_findings);
        if (warn) item->setForeground(QColor(0xc7, 0x7c, 0x02));
    };
    if (n == 0) {
        add(tr("The file holds no sequences."), true);
        return;
    }
    int64_t shortest = INT64_MAX, longest = 0;
    const int64_t scan = std::min<int64_t>(n, 100000);
    for (int64_t i = 0; i < scan; ++i) {
        shortest = std::min(shortest, d.length(i));
        longest = std::max(longest, d.length(i));
    }
    if (shortest != longest)
        add(tr("Ragged: lengths run from %1 to %2 steps. A batch needs one length: pad (see Padding & masking) "
               "or feed one sequence at a time.").arg(shortest).arg(longest), true);
    else if (m_reading && m_reading->steps_are_channels)
        add(tr("All sequences have the same length: %1 steps, along axis 2 as stored.").arg(m_reading->steps), false);
    else if (auto s = d.array_shape(); s && s->size() < 3)
        add(tr("All sequences have the same length: %1 steps, along axis %2 as stored.")
                .arg(m_reading ? m_reading->steps : longest)
                .arg(s->size() == 1 || (m_reading && m_reading->sequences_are_steps) ? 0 : 1),
            false);
    else add(tr("All sequences have the same length: %1 along axis 1 as stored.").arg(longest), false);
    if (auto s = d.array_shape(); s && s->size() == 3) {
        const int64_t a = (*s)[1], b = (*s)[2];
        if (view && view->lengthAxis == 2)
            add(tr("The stack reads axis 2 (%1) as the length and axis 1 (%2) as channels (%3).")
                    .arg(b).arg(a).arg(view->reason), false);
        else if (a < b && a <= 64)
            add(tr("Axis 1 (%1) is much shorter than axis 2 (%2): if these are (batch, channels, length) for "
                   "PyTorch, a Keras stack needs them transposed.").arg(a).arg(b), true);
    }
    if (auto s = d.array_shape(); s && s->size() < 3)
        add(tr("%1-D array: read as %2. Conv1D needs batch, length and channel axes: the trace offers them.")
                .arg(s->size())
                .arg(QString::fromStdString(convscope::data::read_array_shape(*s).summary())),
            true);
    // NaNs in the first sequence are cheap to check and a common surprise.
    const auto seq = d.sequence(0);
    const auto nans = std::count_if(seq.values.begin(), seq.values.end(), [](float v) { return std::isnan(v); });
    if (nans > 0) add(tr("Sequence 0 holds %1 missing values (NaN).").arg(nans), true);
    for (const auto& note : d.notes()) add(QString::fromStdString(note), true);
    if (m_state.dataChange)
        add(tr("The stack is traced on the changed data: %1").arg(QString::fromStdString(m_state.dataChange->description)),
            false);
}
