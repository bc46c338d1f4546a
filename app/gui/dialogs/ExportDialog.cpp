#include "dialogs/ExportDialog.hpp"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "plots/PlotExporter.hpp"
#include "common/atomic_write.hpp"
#include "interop/stack_json.hpp"
#if defined(CONVSCOPE_HAVE_CODE_EXPORT)
#include "interop/code_export.hpp"
#endif

ExportDialog::ExportDialog(const convscope::Stack& stack, const QList<NamedPlot>& plots, QWidget* parent)
    : QDialog(parent), m_stack(stack), m_plots(plots) {
    setWindowTitle(tr("Export"));
    setObjectName("exportDialog");
    resize(760, 620);
    auto* layout = new QVBoxLayout(this);

    auto* codeBox = new QGroupBox(tr("Layer stack"), this);
    auto* cv = new QVBoxLayout(codeBox);
    auto* top = new QHBoxLayout;
    m_format = new QComboBox(codeBox);
    m_format->setObjectName("exportFormat");
    m_format->addItem(tr("JSON (*.convscope.json)"), Json);
    m_format->addItem(tr("PyTorch code (*.py)"), PyTorch);
    m_format->addItem(tr("Keras code (*.py)"), Keras);
    auto* copy = new QPushButton(tr("&Copy"), codeBox);
    copy->setObjectName("exportCopy");
    auto* save = new QPushButton(tr("&Save…"), codeBox);
    save->setObjectName("exportSave");
    top->addWidget(new QLabel(tr("Format"), codeBox));
    top->addWidget(m_format, 1);
    top->addWidget(copy);
    top->addWidget(save);
    cv->addLayout(top);
    m_preview = new QPlainTextEdit(codeBox);
    m_preview->setObjectName("exportPreview");
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFont("DejaVu Sans Mono", font().pointSize() - 1));
    cv->addWidget(m_preview, 1);
    m_status = new QLabel(codeBox);
    m_status->setWordWrap(true);
    cv->addWidget(m_status);
    layout->addWidget(codeBox, 1);

    auto* plotBox = new QGroupBox(tr("Plots"), this);
    auto* pv = new QHBoxLayout(plotBox);
    m_plotChoice = new QComboBox(plotBox);
    m_plotChoice->setObjectName("exportPlotChoice");
    for (const auto& p : m_plots) m_plotChoice->addItem(p.first);
    auto* savePlotButton = new QPushButton(tr("Save plot as PNG, SVG or PDF…"), plotBox);
    pv->addWidget(m_plotChoice, 1);
    pv->addWidget(savePlotButton);
    plotBox->setEnabled(!m_plots.isEmpty());
    layout->addWidget(plotBox);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::refresh);
    connect(copy, &QPushButton::clicked, this, [this] {
        copyToClipboard();
        m_status->setText(tr("Copied to the clipboard."));
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString base = m_stack.name.empty() ? QStringLiteral("stack") : QString::fromStdString(m_stack.name);
        const QString path = QFileDialog::getSaveFileName(this, tr("Save export"), base + suffix(format()));
        if (path.isEmpty()) return;
        const QString error = saveTo(path);
        m_status->setText(error.isEmpty() ? tr("Saved %1.").arg(QDir::toNativeSeparators(path)) : error);
    });
    connect(savePlotButton, &QPushButton::clicked, this, [this] {
        const int i = m_plotChoice->currentIndex();
        if (i < 0 || i >= m_plots.size()) return;
        PlotExporter::saveInteractively(this, m_plots[i].second, m_plots[i].first.toLower().replace(' ', '_'));
    });
    refresh();
}

QString ExportDialog::suffix(Format f) { return f == Json ? QStringLiteral(".convscope.json") : QStringLiteral(".py"); }

QString ExportDialog::generate(const convscope::Stack& stack, Format f, QString* error,
                               const std::optional<convscope::Shape>& dataShape, const QString& dataSource) {
    try {
        switch (f) {
        case Json: return QString::fromStdString(convscope::stack_to_json_text(stack));
#if defined(CONVSCOPE_HAVE_CODE_EXPORT)
        case PyTorch:
            return QString::fromStdString(convscope::export_pytorch(stack, {dataShape, dataSource.toStdString()}));
        case Keras:
            return QString::fromStdString(convscope::export_keras(stack, {dataShape, dataSource.toStdString()}));
#else
        case PyTorch:
        case Keras:
            if (error) *error = tr("Code export is not available in this build yet; export JSON instead.");
            return {};
#endif
        }
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
    }
    return {};
}

void ExportDialog::setFormat(Format f) { m_format->setCurrentIndex(m_format->findData(f)); }
ExportDialog::Format ExportDialog::format() const { return Format(m_format->currentData().toInt()); }
QString ExportDialog::text() const { return m_preview->toPlainText(); }

void ExportDialog::setTracedInput(const convscope::Shape& shape, const QString& source) {
    m_dataShape = shape;
    m_dataSource = source;
    refresh();
}

QString ExportDialog::statusText() const { return m_status->text(); }

void ExportDialog::refresh() {
    QString error;
    const QString code = generate(m_stack, format(), &error, m_dataShape, m_dataSource);
    m_preview->setPlainText(code);
    QStringList status;
    if (!error.isEmpty()) status << error;
#if defined(CONVSCOPE_HAVE_CODE_EXPORT)
    if (format() != Json && error.isEmpty()) {
        if (m_dataShape)
            status << tr("Open sizes are filled from the data the trace used, %1 (the header lists them).")
                          .arg(QString::fromStdString(m_dataShape->to_string()));
        // Where the Keras mask goes matters for what the exported model computes: say it here too.
        for (const auto& note : convscope::export_mask_notes(m_stack, {m_dataShape, m_dataSource.toStdString()}))
            status << tr("Mask: %1").arg(QString::fromStdString(note));
    }
#endif
    m_status->setText(status.join("\n"));
}

QString ExportDialog::saveTo(const QString& path) const {
    QString error;
    const QString code = generate(m_stack, format(), &error, m_dataShape, m_dataSource);
    if (code.isEmpty()) return error.isEmpty() ? tr("Nothing to save.") : error;
    const QByteArray bytes = code.toUtf8();
    auto status = convscope::write_file_atomically(path.toStdString(), std::string_view(bytes.constData(), size_t(bytes.size())));
    return status ? QString() : QString::fromStdString(status.error().message);
}

QString ExportDialog::savePlot(int index, const QString& path) const {
    if (index < 0 || index >= m_plots.size()) return tr("No such plot.");
    return PlotExporter::save(m_plots[index].second, path);
}

void ExportDialog::copyToClipboard() const { QApplication::clipboard()->setText(text()); }
