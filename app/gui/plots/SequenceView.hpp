// One sequence, each chosen channel a graph: pick any channels of any width
// (ChannelPicker, at most kMaxGraphs drawn at once), toggle them, zoom and pan with
// the mouse, reset, read step and values under the cursor. Padded steps are shaded,
// masked steps hatched, and the receptive field of a clicked output step is
// highlighted. Long sequences are drawn min/max-decimated to the pixel width,
// so millions of steps stay fluid.
#pragma once

#include <QList>
#include <QWidget>
#include <set>
#include <vector>

#include "plots/PlotData.hpp"

class QCustomPlot;
class QCPItemRect;
class ChannelPicker;
class QCPItemStraightLine;
class QLabel;
class QListWidget;
class QMouseEvent;
class QTimer;

class SequenceView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxGraphs = 64;      // channels drawn at once
    static constexpr int kDefaultGraphs = 16;  // drawn when a sequence of another width arrives

    explicit SequenceView(QWidget* parent = nullptr);

    void setSequence(const SequenceData& data);
    void clear(const QString& message);
    const SequenceData& sequence() const { return m_data; }

    // `channel` is the data's channel index; a channel not drawn is never visible, but
    // hiding it is remembered for when it is drawn.
    void setChannelVisible(int channel, bool visible);
    bool isChannelVisible(int channel) const;
    ChannelPicker* channelPicker() const { return m_picker; }
    QList<int> drawnChannels() const { return m_drawn; }  // graph i draws channel drawnChannels()[i]
    int graphCount() const;
    int plottedPointCount(int channel) const;  // after decimation; 0 when not drawn
    QString infoText() const;
    // Highlights input steps [first, last] (a receptive field); first < 0 clears.
    void highlightSteps(int64_t first, int64_t last);
    std::pair<int64_t, int64_t> highlightedSteps() const { return m_highlight; }
    int paddedRegionCount() const { return int(m_padRects.size()); }
    int maskedRegionCount() const { return int(m_maskRects.size()); }

    // The readout for the cursor at step coordinate `key` (what hovering shows).
    QString readoutAt(double key) const;
    QString readoutText() const;
    void showCursorAt(double key);

    void resetZoom();
    void setVisibleRange(double lower, double upper);
    QCustomPlot* plot() const { return m_plot; }
    void restyle();

signals:
    void channelVisibilityChanged();

private:
    void rebuildGraphs();
    void rebuildGraphSet();  // one graph per drawn channel
    void fitValues();        // the value axis over the visible channels
    void scheduleRebuild();
    void rebuildRegions();
    void onMouseMove(QMouseEvent* e);

    SequenceData m_data;
    QList<int> m_drawn;
    std::set<int> m_hidden;  // channels unticked by the user
    int m_width = 0;         // channels of the last sequence shown
    ChannelPicker* m_picker;
    QCustomPlot* m_plot;
    QListWidget* m_channels;
    QLabel* m_readout;
    QLabel* m_info;
    QCPItemStraightLine* m_cursor = nullptr;
    QCPItemRect* m_rfRect = nullptr;
    std::vector<QCPItemRect*> m_padRects;
    std::vector<QCPItemRect*> m_maskRects;
    std::pair<int64_t, int64_t> m_highlight{-1, -1};
    QTimer* m_rebuildTimer;
    bool m_settingRange = false;
};
