#include "flow/ShapeFlowView.hpp"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "flow/ShapeFlowCanvas.hpp"
#include "shared/Theme.hpp"

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }

QString pillStyle(const QColor& c) {
    return QStringLiteral("QLabel { background: %1; color: white; border-radius: 10px; padding: 3px 12px; "
                          "font-weight: bold; }")
        .arg(c.name());
}
}  // namespace

ShapeFlowView::ShapeFlowView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto* header = new QWidget(this);
    auto* h = new QHBoxLayout(header);
    h->setContentsMargins(10, 6, 10, 6);
    m_title = new QLabel(this);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.1);
    m_title->setFont(tf);
    m_busy = new QLabel(tr("tracing…"), this);
    m_busy->setForegroundRole(QPalette::PlaceholderText);
    m_busy->hide();
    m_status = new QLabel(this);
    m_status->setObjectName("statusPill");
    h->addWidget(m_title, 1);
    h->addWidget(m_busy);
    h->addWidget(m_status);
    layout->addWidget(header);

    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_canvas = new ShapeFlowCanvas;
    m_scroll->setWidget(m_canvas);

    m_panel = new QFrame(this);
    // The panel takes the height its content needs; the flow gets the rest.
    m_panel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_panel->setObjectName("diagnosisPanel");
    m_panel->setFrameShape(QFrame::StyledPanel);
    auto* pl = new QVBoxLayout(m_panel);
    pl->setContentsMargins(10, 6, 10, 6);
    pl->setSpacing(4);
    m_panelTitle = new QLabel(m_panel);
    m_panelTitle->setObjectName("diagnosisTitle");
    m_panelTitle->setWordWrap(true);
    QFont pf = m_panelTitle->font();
    pf.setBold(true);
    pf.setPointSizeF(pf.pointSizeF() * 1.1);
    m_panelTitle->setFont(pf);
    m_axisLine = new QLabel(m_panel);
    m_axisLine->setObjectName("diagnosisAxis");
    m_axisLine->setWordWrap(true);
    m_explanation = new QLabel(m_panel);
    m_explanation->setObjectName("diagnosisExplanation");
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_frameworkLabel = new QLabel(m_panel);
    m_framework = new QPlainTextEdit(m_panel);
    m_framework->setObjectName("frameworkMessage");
    m_framework->setReadOnly(true);
    m_framework->setFont(QFont("DejaVu Sans Mono", m_framework->font().pointSize() - 1));
    m_framework->setMaximumHeight(46);
    m_framework->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_fixesLabel = new QLabel(tr("Fixes, best first — each one re-traced and shown to pass:"), m_panel);
    m_fixesLayout = new QVBoxLayout;
    m_fixesLayout->setSpacing(4);
    pl->addWidget(m_panelTitle);
    pl->addWidget(m_axisLine);
    pl->addWidget(m_explanation);
    pl->addWidget(m_frameworkLabel);
    pl->addWidget(m_framework);
    pl->addWidget(m_fixesLabel);
    pl->addLayout(m_fixesLayout);

    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_panel, 0);

    connect(m_canvas, &ShapeFlowCanvas::stepClicked, this, &ShapeFlowView::stepSelected);
    setEmpty(QString());
}

void ShapeFlowView::clearFixes() {
    for (QPushButton* b : m_fixButtons) {
        m_fixesLayout->removeWidget(b);
        b->hide();
        b->deleteLater();
    }
    m_fixButtons.clear();
}

void ShapeFlowView::setEmpty(const QString& text) {
    m_state = State::Empty;
    m_title->setText(tr("Shape flow"));
    m_status->setText(tr("nothing to trace"));
    m_statusColor = Theme::muted();
    m_status->setStyleSheet(pillStyle(m_statusColor));
    if (!text.isEmpty()) m_canvas->setPlaceholder(text);
    else m_canvas->setPlaceholder(tr("Open a data file (Ctrl+Shift+O) or a layer stack (Ctrl+O), or drop one here, "
                                     "to see the shapes flow through the stack."));
    clearFixes();
    m_panelTitle->setText(tr("No trace yet"));
    m_panelTitle->setStyleSheet(QString());
    m_axisLine->hide();
    m_explanation->setText(tr("ConvScope traces the stack on your data's shape, marks the first layer that cannot "
                              "take its input and the axis at fault, and offers fixes that it has checked."));
    m_frameworkLabel->hide();
    m_framework->hide();
    m_fixesLabel->hide();
}

void ShapeFlowView::setBusy(bool busy) { m_busy->setVisible(busy); }

void ShapeFlowView::setSelectedStep(int step) { m_canvas->setSelectedStep(step); }

void ShapeFlowView::setTrace(const convscope::Trace& trace, const convscope::Stack& stack,
                             const QString& fixDescription) {
    clearFixes();
    const QString name = stack.name.empty() ? tr("Untitled stack") : q(stack.name);
    m_title->setText(QStringLiteral("%1  —  %2, %3").arg(name, q(std::string(convscope::to_string(trace.format))),
                                                        q(std::string(convscope::framework_name(trace.format)))));
    if (trace.steps.empty()) {
        m_state = State::Empty;
        m_canvas->setPlaceholder(tr("The stack could not be traced."));
        m_status->setText(tr("could not trace"));
        m_statusColor = Theme::failing();
        m_status->setStyleSheet(pillStyle(m_statusColor));
        return;
    }
    const bool justFixed = trace.ok() && !fixDescription.isEmpty();
    m_canvas->setTrace(&trace, &stack, justFixed);

    if (trace.ok()) {
        m_state = State::Passing;
        m_statusColor = Theme::passing();
        m_status->setText(justFixed ? tr("✓ fixed — all shapes fit") : tr("✓ all shapes fit"));
        m_status->setStyleSheet(pillStyle(m_statusColor));
        const auto& last = trace.steps.back();
        m_panelTitle->setText(justFixed ? tr("✓ Fixed: %1").arg(fixDescription) : tr("✓ Every layer accepts its input"));
        m_panelTitle->setStyleSheet(QStringLiteral("color: %1;").arg(m_statusColor.name()));
        m_axisLine->setText(tr("Output %1 · %2 parameters in total")
                                .arg(last.out ? q(last.out->describe()) : QStringLiteral("—"))
                                .arg(QLocale().toString(qlonglong(trace.total_params))));
        m_axisLine->show();
        QString more;
        if (trace.min_input_length)
            more = *trace.min_input_length == 1
                       ? tr("The stack accepts sequences of any length.")
                       : tr("The shortest input this stack accepts is %1 steps.").arg(*trace.min_input_length);
        if (justFixed) more += (more.isEmpty() ? "" : " ") + tr("Ctrl+Z undoes the fix.");
        m_explanation->setText(more);
        m_explanation->setVisible(!more.isEmpty());
        m_frameworkLabel->hide();
        m_framework->hide();
        m_fixesLabel->hide();
        return;
    }

    m_state = State::Failing;
    const convscope::ShapeError* err = trace.error();
    const auto& step = trace.steps[*trace.failing_step];
    m_statusColor = Theme::failing();
    m_status->setText(step.index < 0 ? tr("✗ fails at the input") : tr("✗ fails at %1").arg(q(step.name)));
    m_status->setStyleSheet(pillStyle(m_statusColor));
    if (step.index < 0)
        m_panelTitle->setText(tr("✗ %1 at the input").arg(q(std::string(convscope::title(err->kind)))));
    else
        m_panelTitle->setText(tr("✗ %1 at layer %2 (%3, %4)")
                                  .arg(q(std::string(convscope::title(err->kind))))
                                  .arg(step.index + 1)
                                  .arg(q(step.name), q(step.type)));
    m_panelTitle->setStyleSheet(QStringLiteral("color: %1;").arg(m_statusColor.name()));
    QString axis;
    if (err->axis >= 0)
        axis = tr("Axis %1 (%2): ").arg(err->axis).arg(err->role ? q(std::string(convscope::to_string(*err->role)))
                                                                  : tr("axis"));
    m_axisLine->setText(axis + tr("expected <b>%1</b>, got <b>%2</b>").arg(q(err->expected).toHtmlEscaped(),
                                                                        q(err->actual).toHtmlEscaped()));
    m_axisLine->show();
    m_explanation->setText(q(err->explanation));
    m_explanation->show();
    m_frameworkLabel->setText(tr("What %1 says:").arg(q(std::string(convscope::framework_name(trace.format)))));
    m_frameworkLabel->setVisible(!err->framework_message.empty());
    m_framework->setPlainText(q(err->framework_message));
    m_framework->setVisible(!err->framework_message.empty());
    m_fixesLabel->setVisible(!err->fixes.empty());
    if (err->fixes.empty()) {
        m_fixesLabel->setText(tr("No automatic fix; the explanation above says what to change."));
        m_fixesLabel->show();
    } else {
        m_fixesLabel->setText(tr("Fixes, best first — each one re-traced and shown to pass:"));
    }
    for (size_t i = 0; i < err->fixes.size(); ++i) {
        const auto& fix = err->fixes[i];
        QString text = QStringLiteral("%1. %2").arg(i + 1).arg(q(fix.description));
        const bool changesData = !(fix.traced_on.shape == trace.input.shape && fix.traced_on.lengths == trace.input.lengths);
        if (changesData) text += tr("  (changes the data)");
        auto* b = new QPushButton(text, m_panel);
        b->setObjectName(QStringLiteral("fixButton%1").arg(i));
        b->setToolTip(changesData && fix.data_change ? q(fix.data_change->description) + tr("; Ctrl+Z undoes it.")
                                                     : tr("Replaces the stack; Ctrl+Z undoes it."));
        b->setStyleSheet(i == 0 ? QStringLiteral("QPushButton { text-align: left; padding: 4px 10px; font-weight: bold;"
                                                 " background: %1; color: white; border-radius: 4px; }")
                                      .arg(Theme::passing().name())
                                : QStringLiteral("QPushButton { text-align: left; padding: 4px 10px; }"));
        connect(b, &QPushButton::clicked, this, [this, i] { emit fixRequested(int(i)); });
        m_fixesLayout->addWidget(b);
        m_fixButtons << b;
    }
}

QString ShapeFlowView::statusText() const { return m_status->text(); }
QString ShapeFlowView::explanationText() const { return m_explanation->text(); }
QString ShapeFlowView::frameworkText() const { return m_framework->toPlainText(); }
