#include "plots/SequenceView.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "plots/ChannelPicker.hpp"
#include "plots/PlotStyle.hpp"

namespace {

QCPItemRect* makeSpanRect(QCustomPlot* plot, const QBrush& brush) {
    auto* r = new QCPItemRect(plot);
    r->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
    r->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    r->bottomRight->setTypeX(QCPItemPosition::ptPlotCoords);
    r->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    r->setPen(Qt::NoPen);
    r->setBrush(brush);
    r->setClipToAxisRect(true);
    r->setSelectable(false);
    r->setLayer("background");
    return r;
}

void setSpan(QCPItemRect* r, double x0, double x1) {
    r->topLeft->setCoords(x0, 0);
    r->bottomRight->setCoords(x1, 1);
}

// Runs of set flags: [first, last] pairs.
std::vector<std::pair<int64_t, int64_t>> runs(const std::vector<uint8_t>& flags) {
    std::vector<std::pair<int64_t, int64_t>> out;
    int64_t start = -1;
    for (int64_t i = 0; i <= int64_t(flags.size()); ++i) {
        const bool on = i < int64_t(flags.size()) && flags[size_t(i)];
        if (on && start < 0) start = i;
        if (!on && start >= 0) {
            out.emplace_back(start, i - 1);
            start = -1;
        }
    }
    return out;
}

}  // namespace

SequenceView::SequenceView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* left = new QVBoxLayout;
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName("sequencePlot");
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(tr("value"));
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setMinimumHeight(160);
    left->addWidget(m_plot, 1);
    auto* bar = new QHBoxLayout;
    m_readout = new QLabel(this);
    m_readout->setObjectName("sequenceReadout");
    m_readout->setFont(QFont("DejaVu Sans Mono", font().pointSize() - 1));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info = new QLabel(this);
    m_info->setForegroundRole(QPalette::PlaceholderText);
    auto* reset = new QToolButton(this);
    reset->setText(tr("Reset zoom"));
    reset->setToolTip(tr("Show the whole sequence (Ctrl+0). Wheel zooms the steps, drag pans."));
    bar->addWidget(m_readout, 1);
    bar->addWidget(m_info);
    bar->addWidget(reset);
    left->addLayout(bar);
    layout->addLayout(left, 1);

    // The channels column: which channels are drawn (any of any width), then a tick per drawn one.
    auto* column = new QWidget(this);
    column->setMaximumWidth(190);
    auto* cv = new QVBoxLayout(column);
    cv->setContentsMargins(0, 0, 0, 0);
    m_picker = new ChannelPicker(tr("Channels"), kMaxGraphs, kDefaultGraphs, column);
    m_picker->setObjectName("sequenceChannelPicker");
    cv->addWidget(m_picker);
    m_channels = new QListWidget(column);
    m_channels->setObjectName("channelList");
    m_channels->setToolTip(tr("Untick a drawn channel to hide it"));
    cv->addWidget(m_channels, 1);
    layout->addWidget(column);

    m_cursor = new QCPItemStraightLine(m_plot);
    m_cursor->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    m_cursor->setVisible(false);
    m_cursor->setSelectable(false);
    m_rfRect = makeSpanRect(m_plot, QColor(255, 193, 7, 90));
    m_rfRect->setVisible(false);

    m_rebuildTimer = new QTimer(this);
    m_rebuildTimer->setSingleShot(true);
    m_rebuildTimer->setInterval(0);
    connect(m_rebuildTimer, &QTimer::timeout, this, [this] {
        rebuildGraphs();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        if (!m_settingRange) scheduleRebuild();
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, &SequenceView::onMouseMove);
    connect(reset, &QToolButton::clicked, this, &SequenceView::resetZoom);
    connect(m_channels, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const int i = m_channels->row(item);
        if (i >= 0 && i < int(m_drawn.size())) setChannelVisible(m_drawn[i], item->checkState() == Qt::Checked);
    });
    connect(m_picker, &ChannelPicker::selectionChanged, this, [this] {
        // Other channels, other values: fit the value axis, keep the steps in view.
        rebuildGraphSet();
        rebuildGraphs();
        fitValues();
        m_plot->replot();
        emit channelVisibilityChanged();
    });
    PlotStyle::apply(m_plot);
    clear(tr("No sequence: open a data file and pick a sequence."));
}

void SequenceView::restyle() { PlotStyle::apply(m_plot); }

void SequenceView::clear(const QString& message) {
    m_data = SequenceData{};
    m_drawn.clear();
    m_picker->setChannels(0);
    m_plot->clearGraphs();
    for (auto* r : m_padRects) m_plot->removeItem(r);
    for (auto* r : m_maskRects) m_plot->removeItem(r);
    m_padRects.clear();
    m_maskRects.clear();
    m_channels->clear();
    m_rfRect->setVisible(false);
    m_cursor->setVisible(false);
    m_highlight = {-1, -1};
    m_readout->setText(message);
    m_info->clear();
    m_plot->replot();
}

void SequenceView::setSequence(const SequenceData& data) {
    const bool sameShape = data.length == m_data.length && data.channels == m_data.channels;
    const bool sameWidth = data.channels == m_width;  // the last sequence's, even across a clear()
    m_width = data.channels;
    const QCPRange oldRange = m_plot->xAxis->range();
    m_data = data;
    // The choice of channels stays while the width does (another sequence, another
    // padding); a narrower sequence keeps the chosen channels it still has.
    if (!sameWidth) m_hidden.clear();
    QStringList names;
    for (int c = 0; c < m_data.channels; ++c)
        names << (c < m_data.channelNames.size() ? m_data.channelNames[c] : tr("ch %1").arg(c));
    {
        QSignalBlocker block(m_picker);
        m_picker->setChannels(m_data.channels, names);
    }
    rebuildGraphSet();
    m_info->setText(infoText());
    m_readout->setText(m_data.name);
    rebuildRegions();
    if (sameShape && oldRange.size() > 0) {
        m_settingRange = true;
        m_plot->xAxis->setRange(oldRange);
        m_settingRange = false;
        rebuildGraphs();
        m_plot->replot();
    } else {
        resetZoom();
    }
}

QString SequenceView::infoText() const {
    if (m_data.empty()) return {};
    QString text = tr("%1 steps × %2 channels").arg(m_data.length).arg(m_data.channels);
    if (!m_data.readingNote.isEmpty()) text += " · " + m_data.readingNote;
    return text;
}

void SequenceView::rebuildGraphSet() {
    m_plot->clearGraphs();
    m_drawn = m_picker->drawn();
    QSignalBlocker block(m_channels);
    m_channels->clear();
    for (int c : m_drawn) {
        const QString name = c < m_data.channelNames.size() ? m_data.channelNames[c] : tr("ch %1").arg(c);
        auto* item = new QListWidgetItem(name, m_channels);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(m_hidden.count(c) ? Qt::Unchecked : Qt::Checked);
        QPixmap swatch(10, 10);
        swatch.fill(PlotStyle::channelColor(c));
        item->setIcon(QIcon(swatch));
        QCPGraph* g = m_plot->addGraph();
        g->setPen(QPen(PlotStyle::channelColor(c), 1.3));
        g->setName(name);
        g->setVisible(!m_hidden.count(c));
        g->setAdaptiveSampling(false);  // we decimate ourselves, keeping extremes
    }
}

void SequenceView::rebuildRegions() {
    for (auto* r : m_padRects) m_plot->removeItem(r);
    for (auto* r : m_maskRects) m_plot->removeItem(r);
    m_padRects.clear();
    m_maskRects.clear();
    for (auto [a, b] : runs(m_data.padded)) {
        auto* r = makeSpanRect(m_plot, QColor(128, 128, 128, 60));
        setSpan(r, a - 0.5, b + 0.5);
        m_padRects.push_back(r);
    }
    for (auto [a, b] : runs(m_data.masked)) {
        QBrush hatch(QColor(211, 47, 47, 110), Qt::BDiagPattern);
        auto* r = makeSpanRect(m_plot, hatch);
        setSpan(r, a - 0.5, b + 0.5);
        m_maskRects.push_back(r);
    }
}

void SequenceView::scheduleRebuild() { m_rebuildTimer->start(); }

void SequenceView::rebuildGraphs() {
    if (m_data.empty()) return;
    const QCPRange range = m_plot->xAxis->range();
    const int64_t n = m_data.length;
    const int64_t lo = std::clamp<int64_t>(int64_t(std::floor(range.lower)) - 1, 0, n - 1);
    const int64_t hi = std::clamp<int64_t>(int64_t(std::ceil(range.upper)) + 1, 0, n - 1);
    const int64_t count = hi - lo + 1;
    const int pixels = std::max(200, m_plot->axisRect()->width());
    const int64_t bucket = count > 4 * int64_t(pixels) ? (count + pixels - 1) / pixels : 1;
    for (int i = 0; i < m_plot->graphCount() && i < int(m_drawn.size()); ++i) {
        QCPGraph* g = m_plot->graph(i);
        const int c = m_drawn[i];
        if (m_hidden.count(c)) {
            g->data()->clear();
            continue;
        }
        QVector<double> keys, values;
        if (bucket == 1) {
            keys.reserve(int(count));
            values.reserve(int(count));
            for (int64_t t = lo; t <= hi; ++t) {
                keys << double(t);
                values << double(m_data.at(t, c));
            }
        } else {
            // Min and max of each pixel column, in step order, so peaks survive.
            keys.reserve(int(2 * count / bucket + 4));
            values.reserve(int(2 * count / bucket + 4));
            for (int64_t b = lo; b <= hi; b += bucket) {
                const int64_t e = std::min(hi, b + bucket - 1);
                int64_t imin = b, imax = b;
                float vmin = m_data.at(b, c), vmax = vmin;
                for (int64_t t = b + 1; t <= e; ++t) {
                    const float v = m_data.at(t, c);
                    if (v < vmin) vmin = v, imin = t;
                    if (v > vmax) vmax = v, imax = t;
                }
                if (imin <= imax) {
                    keys << double(imin) << double(imax);
                    values << double(vmin) << double(vmax);
                } else {
                    keys << double(imax) << double(imin);
                    values << double(vmax) << double(vmin);
                }
            }
        }
        g->setData(keys, values, true);
    }
}

void SequenceView::resetZoom() {
    if (m_data.empty()) return;
    m_settingRange = true;
    m_plot->xAxis->setRange(-0.5, double(m_data.length) - 0.5);
    m_settingRange = false;
    rebuildGraphs();
    fitValues();
    m_plot->replot();
}

void SequenceView::fitValues() {
    // y from all visible channels over the whole sequence.
    double lo = INFINITY, hi = -INFINITY;
    for (int c : m_drawn) {
        if (m_hidden.count(c)) continue;
        for (int64_t t = 0; t < m_data.length; ++t) {
            const double v = m_data.at(t, c);
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        }
    }
    if (!std::isfinite(lo)) lo = -1, hi = 1;
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    const double pad = (hi - lo) * 0.06;
    m_plot->yAxis->setRange(lo - pad, hi + pad);
}

void SequenceView::setVisibleRange(double lower, double upper) {
    m_plot->xAxis->setRange(lower, upper);
    rebuildGraphs();
    m_plot->replot();
}

void SequenceView::setChannelVisible(int channel, bool visible) {
    if (channel < 0 || channel >= m_data.channels) return;
    if (visible) m_hidden.erase(channel);
    else m_hidden.insert(channel);
    const int i = int(m_drawn.indexOf(channel));
    if (i < 0) return;  // remembered for when it is drawn
    m_plot->graph(i)->setVisible(visible);
    if (QListWidgetItem* item = m_channels->item(i)) {
        QSignalBlocker block(m_channels);
        item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
    }
    rebuildGraphs();
    m_plot->replot();
    emit channelVisibilityChanged();
}

bool SequenceView::isChannelVisible(int channel) const {
    return m_drawn.contains(channel) && !m_hidden.count(channel);
}

int SequenceView::graphCount() const { return m_plot->graphCount(); }

int SequenceView::plottedPointCount(int channel) const {
    const int i = int(m_drawn.indexOf(channel));
    if (i < 0 || i >= m_plot->graphCount()) return 0;
    return m_plot->graph(i)->data()->size();
}

void SequenceView::highlightSteps(int64_t first, int64_t last) {
    if (first < 0 || m_data.empty()) {
        m_highlight = {-1, -1};
        m_rfRect->setVisible(false);
    } else {
        m_highlight = {first, last};
        setSpan(m_rfRect, double(first) - 0.5, double(last) + 0.5);
        m_rfRect->setVisible(true);
        // Bring the window into view if it is off screen.
        const QCPRange r = m_plot->xAxis->range();
        if (double(last) < r.lower || double(first) > r.upper) {
            const double w = r.size();
            const double mid = (double(first) + double(last)) / 2;
            setVisibleRange(mid - w / 2, mid + w / 2);
            return;
        }
    }
    m_plot->replot();
}

QString SequenceView::readoutAt(double key) const {
    if (m_data.empty()) return {};
    const int64_t step = std::clamp<int64_t>(std::llround(key), 0, m_data.length - 1);
    QStringList parts;
    parts << tr("step %1").arg(step);
    int shown = 0;
    for (int i = 0; i < int(m_drawn.size()) && shown < 6; ++i) {
        const int c = m_drawn[i];
        if (m_hidden.count(c)) continue;
        parts << QStringLiteral("%1=%2").arg(m_channels->item(i)->text()).arg(double(m_data.at(step, c)), 0, 'g', 5);
        ++shown;
    }
    if (!m_data.padded.empty() && m_data.padded[size_t(step)]) parts << tr("(padding)");
    if (!m_data.masked.empty() && m_data.masked[size_t(step)]) parts << tr("(masked)");
    return parts.join("  ");
}

QString SequenceView::readoutText() const { return m_readout->text(); }

void SequenceView::showCursorAt(double key) {
    if (m_data.empty()) return;
    const double step = double(std::clamp<int64_t>(std::llround(key), 0, m_data.length - 1));
    m_cursor->point1->setCoords(step, 0);
    m_cursor->point2->setCoords(step, 1);
    m_cursor->setVisible(true);
    m_readout->setText(readoutAt(key));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void SequenceView::onMouseMove(QMouseEvent* e) {
    if (m_data.empty()) return;
    showCursorAt(m_plot->xAxis->pixelToCoord(e->position().x()));
}
