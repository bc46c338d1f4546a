#include "dialogs/ExplainDialog.hpp"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include "stack/StackDocument.hpp"
#include "explain/explain_report.hpp"

using namespace convscope;

namespace {

QString html(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

std::optional<QByteArray> readCapped(const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("%1: cannot open: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QByteArray bytes = f.read(qint64(explain::kMaxExplainBytes) + 1);
    if (bytes.size() > qint64(explain::kMaxExplainBytes)) {
        *error = QObject::tr("%1 is larger than 1 MiB: open the traceback itself, not the whole log.").arg(path);
        return std::nullopt;
    }
    return bytes;
}

}  // namespace

ExplainDialog::ExplainDialog(StackDocument* doc, InputProvider currentInput, QWidget* parent)
    : QDialog(parent), m_doc(doc), m_currentInput(std::move(currentInput)) {
    setObjectName("explainDialog");
    setWindowTitle(tr("Explain an Error"));
    auto* layout = new QVBoxLayout(this);
    auto* hint = new QLabel(tr("Paste a PyTorch, Keras or TensorFlow error message or a whole traceback:"), this);
    layout->addWidget(hint);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_input = new QPlainTextEdit(split);
    m_input->setObjectName("explainInput");
    m_input->setPlaceholderText(tr("RuntimeError: Given groups=1, weight of size [16, 5, 3], expected input[32, 100, 5] to have "
                                   "5 channels, but got 100 channels instead"));
    m_input->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    m_input->setFont(mono);

    auto* scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the text wraps instead
    auto* panel = new QWidget(scroll);
    auto* pl = new QVBoxLayout(panel);
    auto label = [panel](const char* name, bool rich) {
        auto* l = new QLabel(panel);
        l->setObjectName(name);
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setTextFormat(rich ? Qt::RichText : Qt::PlainText);
        return l;
    };
    m_title = label("explainTitle", true);
    m_axis = label("explainAxis", true);
    m_explanationLabel = label("explainText", false);
    m_frameworkFixes = label("explainFrameworkFixes", true);
    m_stack = label("explainStack", true);
    m_fixesLabel = label("explainFixesLabel", true);
    m_fixesLayout = new QVBoxLayout;
    for (QWidget* w : {static_cast<QWidget*>(m_title), static_cast<QWidget*>(m_axis), static_cast<QWidget*>(m_explanationLabel),
                       static_cast<QWidget*>(m_frameworkFixes), static_cast<QWidget*>(m_stack), static_cast<QWidget*>(m_fixesLabel)})
        pl->addWidget(w);
    pl->addLayout(m_fixesLayout);
    pl->addStretch(1);
    scroll->setWidget(panel);
    split->addWidget(m_input);
    split->addWidget(scroll);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    // Explains as the text is pasted or typed, once it stops changing for a moment.
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &ExplainDialog::explainNow);
    connect(m_input, &QPlainTextEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    // A fix applied (or undone) changes the stack: re-match the message against it.
    connect(m_doc, &StackDocument::changed, this, [this] {
        if (m_explanation) m_debounce->start();
    });
    resize(760, 620);
    showResult();
}

void ExplainDialog::setText(const QString& text) {
    m_input->setPlainText(text);
    m_debounce->stop();
    explainNow();
}

bool ExplainDialog::isTracebackFile(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "log") return true;
    if (suffix != "txt") return false;
    QString error;
    const auto bytes = readCapped(path, &error);
    if (!bytes) return false;
    if (bytes->contains("Traceback (most recent call last)")) return true;
    const auto e = explain::explain_text(std::string_view(bytes->constData(), size_t(bytes->size())));
    return e && e->recognised();
}

bool ExplainDialog::loadFile(const QString& path) {
    QString error;
    const auto bytes = readCapped(path, &error);
    if (!bytes) {
        m_input->clear();
        m_explanation.reset();
        showResult();
        m_title->setText("<b>" + error.toHtmlEscaped() + "</b>");
        return false;
    }
    setText(QString::fromUtf8(*bytes));
    return true;
}

void ExplainDialog::explainNow() {
    const std::string text = m_input->toPlainText().toStdString();
    m_match.reset();
    auto e = explain::explain_text(text);
    if (!e) {
        m_explanation.reset();
        showResult();
        m_title->setText("<b>" + html(e.error().message) + "</b>");
        return;
    }
    m_explanation = std::move(*e);
    if (const auto* m = m_explanation->primary(); m && m_doc->layerCount() > 0) {
        m_match = explain::match_stack(*m, m_doc->stack());
        if (m_match->layer) emit stepHighlightRequested(int(*m_match->layer) + 1);
    }
    showResult();
}

void ExplainDialog::clearFixes() {
    for (QPushButton* b : m_fixButtons) {
        m_fixesLayout->removeWidget(b);
        b->deleteLater();
    }
    m_fixButtons.clear();
}

void ExplainDialog::showResult() {
    clearFixes();
    const explain::ExplainedMessage* m = m_explanation ? m_explanation->primary() : nullptr;
    for (QLabel* l : {m_axis, m_explanationLabel, m_frameworkFixes, m_stack, m_fixesLabel}) l->clear();
    if (!m_explanation || m_input->toPlainText().trimmed().isEmpty()) {
        m_title->setText(tr("<i>The explanation appears here as you paste.</i>"));
        return;
    }
    if (!m) {
        m_title->setText(tr("<b>Not recognised.</b> No PyTorch, Keras or TensorFlow shape error was found in the text."));
        QString looked = tr("Looked for:") + "<ul>";
        for (const auto& k : explain::recognised_kinds()) looked += "<li>" + html(k) + "</li>";
        m_explanationLabel->setTextFormat(Qt::RichText);
        m_explanationLabel->setText(looked + "</ul>");
        return;
    }
    m_explanationLabel->setTextFormat(Qt::PlainText);
    m_title->setText(QStringLiteral("<span style='font-size:large'><b>%1</b></span> &nbsp; %2 · <code>%3</code> · line %4")
                         .arg(html(std::string(title(m->mistake))), html(std::string(explain::to_string(m->framework))),
                              html(m->kind))
                         .arg(m->line));
    QStringList facts;
    if (!m->layer_type.empty() || !m->layer_name.empty())
        facts << tr("Layer: <b>%1</b>").arg(html(m->layer_type + (m->layer_name.empty() ? "" : " \"" + m->layer_name + "\"")));
    if (m->axis >= 0)
        facts << tr("Axis: <b>%1%2</b>")
                     .arg(m->axis)
                     .arg(m->role ? " (" + html(std::string(to_string(*m->role))) + ")" : QString());
    if (m->expected) facts << tr("Expected: <b>%1 %2</b>").arg(*m->expected).arg(html(m->quantity));
    if (m->actual) facts << tr("Actual: <b>%1 %2</b>").arg(*m->actual).arg(html(m->quantity));
    m_axis->setText(facts.join(" &nbsp; · &nbsp; "));
    m_explanationLabel->setText(QString::fromStdString(m->explanation));
    QString fw = "<b>" + tr("Fixes in %1:").arg(html(std::string(explain::to_string(m->framework)))) + "</b><ol>";
    for (const auto& f : m->fixes) fw += "<li><code>" + html(f) + "</code></li>";
    m_frameworkFixes->setText(fw + "</ol>");

    if (!m_match) {
        m_stack->setText(m_doc->layerCount() > 0 ? QString() : tr("<i>Open a stack to see which layer this is and get verified fixes.</i>"));
        return;
    }
    const auto& stack = m_doc->stack();
    QString s = "<b>" + tr("In the open stack:") + "</b> ";
    if (m_match->layer) s += html(describe_layer(stack.layers[*m_match->layer], *m_match->layer)) + " — " + html(m_match->layer_reason) + ". ";
    else s += tr("no layer matches this message. ");
    s += tr("Traced on %1.").arg(html(m_match->input_reason));
    const ShapeError* err = m_match->trace ? m_match->trace->error() : nullptr;
    if (m_match->trace && !err) s += " " + tr("The stack passes on that shape: the message comes from a different model.");
    if (err) s += " " + tr("The trace: %1, %2 / %3%4.")
                          .arg(html(std::string(title(err->kind))), html(err->expected), html(err->actual),
                               m_match->agrees ? tr(" (the same layer)") : QString());
    m_stack->setText(s);
    if (!err || err->fixes.empty()) return;
    m_fixesLabel->setText("<b>" + tr("Verified fixes (each re-traced and passing):") + "</b>");
    for (size_t i = 0; i < err->fixes.size(); ++i) {
        auto* b = new QPushButton(QStringLiteral("%1. %2").arg(i + 1).arg(QString::fromStdString(err->fixes[i].description)), this);
        b->setObjectName(QStringLiteral("explainFix%1").arg(i));
        b->setToolTip(QString::fromStdString(err->fixes[i].description));
        b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);  // a long fix must not widen the panel
        b->setStyleSheet(i == 0 ? QStringLiteral("QPushButton { text-align: left; padding: 4px 10px; font-weight: bold; }")
                                : QStringLiteral("QPushButton { text-align: left; padding: 4px 10px; }"));
        connect(b, &QPushButton::clicked, this, [this, i] { applyFix(int(i)); });
        m_fixesLayout->addWidget(b);
        m_fixButtons << b;
    }
}

bool ExplainDialog::applyFix(int index) {
    const ShapeError* err = m_match && m_match->trace ? m_match->trace->error() : nullptr;
    if (!err || index < 0 || index >= int(err->fixes.size())) return false;
    const Fix fix = err->fixes[size_t(index)];  // the document's change re-matches and replaces m_match
    return m_doc->applyFix(fix, m_currentInput ? m_currentInput() : std::nullopt);
}

QString ExplainDialog::titleText() const { return m_title->text(); }
QString ExplainDialog::axisText() const { return m_axis->text(); }
QString ExplainDialog::explanationText() const { return m_explanationLabel->text(); }
QString ExplainDialog::stackText() const { return m_stack->text(); }
