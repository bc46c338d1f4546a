// Help > Explain an Error: a paste box that explains a PyTorch / Keras /
// TensorFlow shape error as it is pasted (engine/explain), points at the layer
// in the flow when a stack is open, and offers the trace's verified fixes, which
// apply through the document's undoable path like the diagnosis panel's.
#pragma once

#include <QDialog>
#include <functional>
#include <optional>

#include "diagnosis/shape_trace.hpp"
#include "explain/explain.hpp"
#include "explain/stack_match.hpp"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QVBoxLayout;
class StackDocument;

class ExplainDialog : public QDialog {
    Q_OBJECT
public:
    // What the open stack is fed now (for StackDocument::applyFix).
    using InputProvider = std::function<std::optional<convscope::TraceInput>()>;

    ExplainDialog(StackDocument* doc, InputProvider currentInput, QWidget* parent = nullptr);

    // Replaces the pasted text and explains it at once (no debounce).
    void setText(const QString& text);
    // A dropped file that holds a traceback rather than data: any .log, or a .txt
    // whose text a framework error is found in. Reads at most 1 MiB.
    static bool isTracebackFile(const QString& path);
    // Loads the file's text into the box; false (with the reason shown) if unreadable.
    bool loadFile(const QString& path);

    QPlainTextEdit* editor() const { return m_input; }
    QString titleText() const;
    QString axisText() const;
    QString explanationText() const;
    QString stackText() const;
    QList<QPushButton*> fixButtons() const { return m_fixButtons; }
    const std::optional<convscope::explain::Explanation>& explanation() const { return m_explanation; }
    bool applyFix(int index);

signals:
    // The flow step (0 = Input, i + 1 = layer i) the message belongs to.
    void stepHighlightRequested(int step);

private:
    void explainNow();
    void clearFixes();
    void showResult();

    StackDocument* m_doc;
    InputProvider m_currentInput;
    QPlainTextEdit* m_input;
    QTimer* m_debounce;
    QLabel* m_title;
    QLabel* m_axis;
    QLabel* m_explanationLabel;
    QLabel* m_frameworkFixes;
    QLabel* m_stack;
    QLabel* m_fixesLabel;
    QVBoxLayout* m_fixesLayout;
    QList<QPushButton*> m_fixButtons;
    std::optional<convscope::explain::Explanation> m_explanation;
    std::optional<convscope::explain::StackMatch> m_match;
};
