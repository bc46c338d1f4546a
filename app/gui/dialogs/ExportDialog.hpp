// Folder dialogs/: the stand-alone dialogs (File > Export, Help > Explain an Error); includes stack/ and plots/.
// File > Export: the stack as JSON, PyTorch or Keras code (preview, copy, save)
// and any of the window's plots as PNG, SVG or PDF.
#pragma once

#include <QDialog>
#include <QList>
#include <QPair>
#include <optional>

#include "layers/stack.hpp"
#include "tensor/shape.hpp"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPlainTextEdit;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    enum Format { Json, PyTorch, Keras };
    using NamedPlot = QPair<QString, QCustomPlot*>;

    ExportDialog(const convscope::Stack& stack, const QList<NamedPlot>& plots, QWidget* parent = nullptr);

    void setFormat(Format f);
    Format format() const;
    QString text() const;
    // The code for `f`; empty plus `error` when that generator is not available.
    // `dataShape`: the input the trace used; the code exports fill the stack's open sizes from it.
    static QString generate(const convscope::Stack& stack, Format f, QString* error,
                            const std::optional<convscope::Shape>& dataShape = std::nullopt,
                            const QString& dataSource = {});
    // The trace's input shape and the data file's name: the exports build the model the trace checked.
    void setTracedInput(const convscope::Shape& shape, const QString& source);
    QString statusText() const;
    static QString suffix(Format f);
    // Empty on success, else the reason.
    QString saveTo(const QString& path) const;
    QString savePlot(int index, const QString& path) const;
    void copyToClipboard() const;

private:
    void refresh();

    convscope::Stack m_stack;
    std::optional<convscope::Shape> m_dataShape;
    QString m_dataSource;
    QList<NamedPlot> m_plots;
    QComboBox* m_format;
    QPlainTextEdit* m_preview;
    QLabel* m_status;
    QComboBox* m_plotChoice;
};
