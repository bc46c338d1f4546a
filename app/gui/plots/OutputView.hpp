// A layer's output for the selected sequence: a heatmap of channels x steps with
// a colour scale (every channel), and line plots of chosen channels below (any
// channels, picked with a ChannelPicker, at most kMaxLines at once). Clicking a step asks
// the window to highlight the input steps in its receptive field.
#pragma once

#include <QWidget>

#include "plots/PlotData.hpp"

class ChannelPicker;
class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemStraightLine;
class QLabel;
class QStackedWidget;

class OutputView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxColumns = 4096;  // heatmap columns; longer outputs are binned
    static constexpr int kMaxLines = 64;      // channels drawn as lines at once
    static constexpr int kMaxLegend = 12;     // more lines than this: no legend, the picker names them

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
    ChannelPicker* channelPicker() const { return m_picker; }
    // What clicking step `step` does: mark it and emit stepClicked.
    void clickStep(int64_t step);
    int64_t markedStep() const { return m_marked; }
    void restyle();

signals:
    void stepClicked(int64_t step);

private:
    void fillHeatmap();
    void fillLines();

    SeriesMatrix m_output;
    QList<int> m_chosen{0, 1, 2};
    int64_t m_marked = -1;
    QStackedWidget* m_stack;
    QLabel* m_placeholder;
    QLabel* m_title;
    ChannelPicker* m_picker;
    QCustomPlot* m_heatmap;
    QCustomPlot* m_lines;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPItemStraightLine* m_mark1;
    QCPItemStraightLine* m_mark2;
};
