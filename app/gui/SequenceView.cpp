#include "SequenceView.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

#include "PlotStyle.hpp"

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

    m_channels = new QListWidget(this);
    m_channels->setObjectName("channelList");
    m_channels->setMaximumWidth(140);
    m_channels->setToolTip(tr("Tick the channels to draw"));
    layout->addWidget(m_channels);

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
        const int c = m_channels->row(item);
        if (c >= 0 && c < int(m_visible.size())) setChannelVisible(c, item->checkState() == Qt::Checked);
    });
    PlotStyle::apply(m_plot);
    clear(tr("No sequence: open a data file and pick a sequence."));
}

void SequenceView::restyle() { PlotStyle::apply(m_plot); }

void SequenceView::clear(const QString& message) {
    m_data = SequenceData{};
    m_visible.clear();
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
    const QCPRange oldRange = m_plot->xAxis->range();
    std::vector<bool> oldVisible = m_visible;
    m_data = data;
    m_plot->clearGraphs();
    const int graphs = std::min(m_data.channels, kMaxGraphs);
    m_visible.assign(size_t(graphs), true);
    if (sameShape && oldVisible.size() == m_visible.size()) m_visible = oldVisible;
    else
        for (int c = 16; c < graphs; ++c) m_visible[size_t(c)] = false;  // a readable default
    {
        QSignalBlocker block(m_channels);
        m_channels->clear();
        for (int c = 0; c < graphs; ++c) {
            const QString name = c < m_data.channelNames.size() ? m_data.channelNames[c] : tr("ch %1").arg(c);
            auto* item = new QListWidgetItem(name, m_channels);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(m_visible[size_t(c)] ? Qt::Checked : Qt::Unchecked);
            QPixmap swatch(10, 10);
            swatch.fill(PlotStyle::channelColor(c));
            item->setIcon(QIcon(swatch));
        }
    }
    for (int c = 0; c < graphs; ++c) {
        QCPGraph* g = m_plot->addGraph();
        g->setPen(QPen(PlotStyle::channelColor(c), 1.3));
        g->setName(m_channels->item(c)->text());
        g->setVisible(m_visible[size_t(c)]);
        g->setAdaptiveSampling(false);  // we decimate ourselves, keeping extremes
    }
    QStringList info;
    info << tr("%1 steps × %2 channels").arg(m_data.length).arg(m_data.channels);
    if (m_data.channels > kMaxGraphs) info << tr("first %1 channels drawn").arg(kMaxGraphs);
    m_info->setText(info.join(" · "));
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
    for (int c = 0; c < m_plot->graphCount(); ++c) {
        QCPGraph* g = m_plot->graph(c);
        if (!m_visible[size_t(c)]) {
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
    // y from all visible channels over the whole sequence.
    double lo = INFINITY, hi = -INFINITY;
    for (int c = 0; c < int(m_visible.size()); ++c) {
        if (!m_visible[size_t(c)]) continue;
        for (int64_t t = 0; t < m_data.length; ++t) {
            const double v = m_data.at(t, c);
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        }
    }
    if (!std::isfinite(lo)) lo = -1, hi = 1;
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
    const double pad = (hi - lo) * 0.06;
    m_plot->yAxis->setRange(lo - pad, hi + pad);
    m_plot->replot();
}

void SequenceView::setVisibleRange(double lower, double upper) {
    m_plot->xAxis->setRange(lower, upper);
    rebuildGraphs();
    m_plot->replot();
}

void SequenceView::setChannelVisible(int channel, bool visible) {
    if (channel < 0 || channel >= int(m_visible.size())) return;
    m_visible[size_t(channel)] = visible;
    m_plot->graph(channel)->setVisible(visible);
    if (QListWidgetItem* item = m_channels->item(channel)) {
        QSignalBlocker block(m_channels);
        item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
    }
    rebuildGraphs();
    m_plot->replot();
    emit channelVisibilityChanged();
}

bool SequenceView::isChannelVisible(int channel) const {
    return channel >= 0 && channel < int(m_visible.size()) && m_visible[size_t(channel)];
}

int SequenceView::graphCount() const { return m_plot->graphCount(); }

int SequenceView::plottedPointCount(int channel) const {
    if (channel < 0 || channel >= m_plot->graphCount()) return 0;
    return m_plot->graph(channel)->data()->size();
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
    for (int c = 0; c < int(m_visible.size()) && shown < 6; ++c) {
        if (!m_visible[size_t(c)]) continue;
        parts << QStringLiteral("%1=%2").arg(m_channels->item(c)->text()).arg(double(m_data.at(step, c)), 0, 'g', 5);
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
