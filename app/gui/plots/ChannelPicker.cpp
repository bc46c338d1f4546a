#include "plots/ChannelPicker.hpp"

#include <QCompleter>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStringListModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "plots/ChannelRanges.hpp"
#include "shared/Theme.hpp"

ChannelPicker::ChannelPicker(const QString& label, int cap, int defaultCount, QWidget* parent)
    : QWidget(parent), m_cap(std::max(1, cap)), m_defaultCount(std::max(1, defaultCount)) {
    setObjectName("channelPicker");
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(1);
    auto* row = new QHBoxLayout;
    row->setSpacing(3);
    auto* caption = new QLabel(label, this);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName("channelRanges");
    m_edit->setPlaceholderText(tr("e.g. 0-15, 100"));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(90);
    m_edit->setToolTip(tr("Channels to draw: numbers and ranges (0-15, 100, 250-260) or channel names; "
                          "Enter applies. At most %1 are drawn at once.")
                           .arg(m_cap));
    m_completions = new QStringListModel(this);
    m_completer = new QCompleter(m_completions, this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_edit->setCompleter(m_completer);
    m_back = new QToolButton(this);
    m_back->setObjectName("channelsBack");
    m_back->setArrowType(Qt::LeftArrow);
    m_back->setToolTip(tr("The previous channels"));
    m_forward = new QToolButton(this);
    m_forward->setObjectName("channelsForward");
    m_forward->setArrowType(Qt::RightArrow);
    m_forward->setToolTip(tr("The next channels"));
    row->addWidget(caption);
    row->addWidget(m_edit, 1);
    row->addWidget(m_back);
    row->addWidget(m_forward);
    v->addLayout(row);
    m_message = new QLabel(this);
    m_message->setObjectName("channelPickerMessage");
    m_message->setWordWrap(true);
    QFont small = m_message->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_message->setFont(small);
    v->addWidget(m_message);

    connect(m_edit, &QLineEdit::returnPressed, this, [this] { applyText(m_edit->text()); });
    connect(m_edit, &QLineEdit::editingFinished, this, [this] {
        if (m_edit->text() != formatChannelRanges(m_selection)) applyText(m_edit->text());
    });
    connect(m_back, &QToolButton::clicked, this, &ChannelPicker::pageBack);
    connect(m_forward, &QToolButton::clicked, this, &ChannelPicker::pageForward);
    updateMessage();
}

QList<int> ChannelPicker::defaultSelection() const {
    QList<int> out;
    for (int c = 0; c < std::min(m_count, m_defaultCount); ++c) out << c;
    return out;
}

void ChannelPicker::setChannels(int count, const QStringList& names) {
    m_count = std::max(0, count);
    m_names = names;
    QStringList completions;
    for (int c = 0; c < std::min<int>(m_count, int(names.size())); ++c) completions << names[c];
    m_completions->setStringList(completions);
    m_error.clear();
    if (m_count == 0) {
        // No data for now (an empty or failed sequence): the choice waits for the next one.
        m_edit->setEnabled(false);
        updateMessage();
        return;
    }
    m_edit->setEnabled(true);
    QList<int> kept;
    for (int c : m_selection)
        if (c < m_count) kept << c;
    if (kept.isEmpty()) kept = defaultSelection();
    commit(kept, false);
}

bool ChannelPicker::applyText(const QString& text) {
    const ChannelRangeParse p = parseChannelRanges(text, m_count, m_names);
    if (!p.ok()) {
        // Keep drawing the previous choice; the field keeps the text so it can be corrected.
        m_error = p.error;
        updateMessage();
        return false;
    }
    m_error.clear();
    commit(p.channels, true);
    return true;
}

void ChannelPicker::setSelection(const QList<int>& channels) {
    QList<int> sorted;
    for (int c : channels)
        if (c >= 0 && c < m_count && !sorted.contains(c)) sorted << c;
    std::sort(sorted.begin(), sorted.end());
    if (sorted.isEmpty()) sorted = defaultSelection();
    m_error.clear();
    commit(sorted, true);
}

void ChannelPicker::commit(const QList<int>& channels, bool emitChange) {
    const bool changed = channels != m_selection;
    m_selection = channels;
    m_edit->setText(formatChannelRanges(m_selection));
    updateMessage();
    if (changed && emitChange) emit selectionChanged();
}

void ChannelPicker::pageForward() {
    const QList<int> d = drawn();
    if (d.isEmpty() || d.last() + 1 >= m_count) return;
    const int first = d.last() + 1;
    QList<int> next;
    for (int c = first; c < std::min(m_count, first + int(d.size())); ++c) next << c;
    m_error.clear();
    commit(next, true);
}

void ChannelPicker::pageBack() {
    const QList<int> d = drawn();
    if (d.isEmpty() || d.first() == 0) return;
    const int first = std::max(0, d.first() - int(d.size()));
    QList<int> prev;
    for (int c = first; c < d.first(); ++c) prev << c;
    m_error.clear();
    commit(prev, true);
}

QString ChannelPicker::text() const { return m_edit->text(); }
QString ChannelPicker::message() const { return m_message->text(); }

void ChannelPicker::updateMessage() {
    const QList<int> d = drawn();
    m_back->setEnabled(!d.isEmpty() && d.first() > 0);
    m_forward->setEnabled(!d.isEmpty() && d.last() + 1 < m_count);
    if (!m_error.isEmpty()) {
        m_message->setText(m_error);
        m_message->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::failing().name()));
        m_edit->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid %1; }").arg(Theme::failing().name()));
        return;
    }
    m_message->setStyleSheet(QString());
    m_edit->setStyleSheet(QString());
    if (m_count == 0) {
        m_message->clear();
        return;
    }
    QString text = d.size() == 1 ? tr("channel %1 of %2 drawn").arg(d.first()).arg(m_count)
                                 : tr("channels %1 of %2 drawn").arg(formatChannelRanges(d)).arg(m_count);
    if (m_selection.size() > d.size())
        text += tr(" (the first %1 of %2 chosen)").arg(d.size()).arg(m_selection.size());
    m_message->setText(text);
}
