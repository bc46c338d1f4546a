// A layer's output for the selected sequence: a heatmap of channels x steps with
// a colour scale, and line plots of chosen channels below. Clicking a step asks
// the window to highlight the input steps in its receptive field.
#pragma once

#include <QWidget>

#include "PlotData.hpp"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemStraightLine;
class QLabel;
class QLineEdit;
class QStackedWidget;

class OutputView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxColumns = 4096;  // heatmap columns; longer outputs are binned

    explicit OutputView(QWidget* parent = nullptr);

    void setOutput(const SeriesMatrix& output);
    void setUnavailable(const QString& reason);
    bool hasOutput() const;
    QString placeholderText() const;
    const SeriesMatrix& output() const { return m_output; }

    QCustomPlot* heatmapPlot() const { return m_heatmap; }
    QCustomPlot* linePlot() const { return m_lines; }
    QCPColorMap* colorMap() const { return m_map; }
    QList<int> plottedChannels() const { return m_chosen; }
    void setPlottedChannels(const QList<int>& channels);
    // What clicking step `step` does: mark it and emit stepClicked.
    void clickStep(int64_t step);
    int64_t markedStep() const { return m_marked; }
    void restyle();

signals:
    void stepClicked(int64_t step);

private:
    void fillHeatmap();
    void fillLines();
    void parseChannelField();

    SeriesMatrix m_output;
    QList<int> m_chosen{0, 1, 2};
    int64_t m_marked = -1;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    QLabel* m_title;
    QLineEdit* m_channelField;
    QCustomPlot* m_heatmap;
    QCustomPlot* m_lines;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPItemStraightLine* m_mark1;
    QCPItemStraightLine* m_mark2;
};
