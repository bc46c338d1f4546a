// Which channels a plot draws, for data of any width: type ranges and names
// ("0-15, 100, 250-260", "acc"), or page through with the arrows. At most `cap`
// channels are drawn at once; the line below says which ("channels 100-163 of
// 512 drawn"), or, for text it cannot read, which token is wrong and the valid
// range, keeping the previous choice. The sequence and output views each own one,
// so each remembers its own choice while the data or the layer changes.
#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

class QCompleter;
class QLabel;
class QLineEdit;
class QStringListModel;
class QToolButton;

class ChannelPicker : public QWidget {
    Q_OBJECT
public:
    ChannelPicker(const QString& label, int cap, int defaultCount, QWidget* parent = nullptr);

    // The channels of the data now shown. The typed choice stays while it fits; channels
    // past the new count are dropped, and when none is left the default is taken. A count
    // of 0 (no data for now) keeps the choice for the next data.
    void setChannels(int count, const QStringList& names = {});
    int channelCount() const { return m_count; }
    int cap() const { return m_cap; }

    // Reads `text` as if typed and confirmed; false (and the message) when it cannot.
    bool applyText(const QString& text);
    // Chooses these channels (those out of range are dropped).
    void setSelection(const QList<int>& channels);
    QList<int> selection() const { return m_selection; }
    // The first `cap` of the selection: what the plot draws.
    QList<int> drawn() const { return m_count > 0 ? m_selection.mid(0, m_cap) : QList<int>{}; }
    QString text() const;
    QString message() const;  // the line under the field
    bool hasError() const { return !m_error.isEmpty(); }

    // The next / previous `drawn().size()` channels.
    void pageForward();
    void pageBack();

signals:
    void selectionChanged();

private:
    void commit(const QList<int>& channels, bool emitChange);
    void updateMessage();
    QList<int> defaultSelection() const;

    int m_cap;
    int m_defaultCount;
    int m_count = 0;
    QStringList m_names;
    QList<int> m_selection;
    QString m_error;
    QLineEdit* m_edit;
    QToolButton* m_back;
    QToolButton* m_forward;
    QLabel* m_message;
    QCompleter* m_completer;
    QStringListModel* m_completions;
};
