// A strip above the shape flow that shows what went wrong (a file that cannot
// be read, an edit the schema rejects) in plain words, without a modal box.
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;
class QTimer;

class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Error, Info };
    explicit MessageBar(QWidget* parent = nullptr);
    void showMessage(const QString& text, Kind kind = Kind::Error);
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel* m_label;
    QToolButton* m_close;
    QTimer* m_hideTimer;
    Kind m_kind = Kind::Error;
};
