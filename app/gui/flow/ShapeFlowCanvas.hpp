// The stack drawn as a flow: one row per step, the layer's card on the left and
// the tensor it produces on the right, one cell per axis labelled with its role.
// The axis the failing layer cannot take is filled red in the tensor that feeds
// it; once every shape fits, the tensors are outlined green.
#pragma once

#include <QColor>
#include <QRectF>
#include <QWidget>
#include <optional>
#include <vector>

#include "diagnosis/shape_trace.hpp"

class ShapeFlowCanvas : public QWidget {
    Q_OBJECT
public:
    struct AxisCell {
        int step = 0;    // index into trace.steps
        int axis = 0;
        QString role;    // "batch", "length", "channels", "features"
        QString value;   // "32" or "None"
        QRectF rect;
        QColor fill;
        bool failing = false;
    };
    struct Row {
        int step = 0;
        QRectF card;
        QRectF tensor;   // the step's output (or the placeholder where it would be)
        bool failing = false;
        bool reached = true;
    };

    explicit ShapeFlowCanvas(QWidget* parent = nullptr);

    // `stack` is the stack the trace was made from (for each layer's parameters).
    void setTrace(const convscope::Trace* trace, const convscope::Stack* stack, bool justFixed);
    void setPlaceholder(const QString& text);
    void setSelectedStep(int step);
    int selectedStep() const { return m_selected; }

    const std::vector<AxisCell>& cells() const { return m_cells; }
    const std::vector<Row>& rows() const { return m_rows; }
    const AxisCell* cell(int step, int axis) const;
    QSize sizeHint() const override;

signals:
    void stepClicked(int step);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    bool event(QEvent*) override;
    void resizeEvent(QResizeEvent*) override;

private:
    void relayout();
    QString cardTitle(const convscope::TraceStep& s) const;
    QString cardParams(const convscope::TraceStep& s) const;
    QString cardStats(const convscope::TraceStep& s) const;
    QString tooltipAt(const QPointF& p) const;

    std::optional<convscope::Trace> m_trace;
    convscope::Stack m_stack;
    bool m_justFixed = false;
    QString m_placeholder;
    int m_selected = -1;
    std::vector<AxisCell> m_cells;
    std::vector<Row> m_rows;
    int m_failingFeeder = -1;  // the step whose output the failing layer receives
};
