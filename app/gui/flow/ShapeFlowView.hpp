// Folder flow/: the shape flow (trace run in the background, the canvas of boxes, the diagnosis panel); includes stack/ and shared/.
// The central view: a header with the verdict, the shape flow, and the
// diagnosis panel (what failed, on which axis, in plain words, what the
// framework would print, and the ranked fixes as buttons).
#pragma once

#include <QWidget>
#include <optional>

#include "diagnosis/shape_trace.hpp"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QVBoxLayout;
class QFrame;
class ShapeFlowCanvas;

class ShapeFlowView : public QWidget {
    Q_OBJECT
public:
    enum class State { Empty, Tracing, Passing, Failing };

    explicit ShapeFlowView(QWidget* parent = nullptr);

    // `stack` is the stack the trace was made from; `fixDescription` the fix the
    // last edit applied (empty if the last edit was not a fix).
    void setTrace(const convscope::Trace& trace, const convscope::Stack& stack, const QString& fixDescription);
    void setEmpty(const QString& text);
    void setBusy(bool busy);
    void setSelectedStep(int step);

    State state() const { return m_state; }
    ShapeFlowCanvas* canvas() const { return m_canvas; }
    QList<QPushButton*> fixButtons() const { return m_fixButtons; }
    QString statusText() const;
    QString explanationText() const;
    QString frameworkText() const;
    QColor statusColor() const { return m_statusColor; }

signals:
    void fixRequested(int index);
    void stepSelected(int step);

private:
    void clearFixes();

    State m_state = State::Empty;
    QLabel* m_title;
    QLabel* m_status;
    QLabel* m_busy;
    QScrollArea* m_scroll;
    ShapeFlowCanvas* m_canvas;
    QFrame* m_panel;
    QLabel* m_panelTitle;
    QLabel* m_axisLine;
    QLabel* m_explanation;
    QLabel* m_frameworkLabel;
    QPlainTextEdit* m_framework;
    QLabel* m_fixesLabel;
    QVBoxLayout* m_fixesLayout;
    QList<QPushButton*> m_fixButtons;
    QColor m_statusColor;
};
