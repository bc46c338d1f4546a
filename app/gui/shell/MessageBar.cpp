#include "shell/MessageBar.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
    setObjectName("messageBar");
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    m_hideTimer = new QTimer(this);
    m_hideTimer->setSingleShot(true);
    connect(m_hideTimer, &QTimer::timeout, this, &QWidget::hide);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBar::showMessage(const QString& text, Kind kind) {
    m_kind = kind;
    m_label->setText(text);
    const bool error = kind == Kind::Error;
    setStyleSheet(error ? "#messageBar { background: #fdecea; border: 1px solid #d32f2f; border-radius: 4px; }"
                          "#messageBar QLabel { color: #8a1c1c; }"
                        : "#messageBar { background: #e8f1fb; border: 1px solid #1e6fc8; border-radius: 4px; }"
                          "#messageBar QLabel { color: #134a86; }");
    show();
    if (error) m_hideTimer->stop();
    else m_hideTimer->start(6000);
}

QString MessageBar::text() const { return isHidden() ? QString() : m_label->text(); }
