#include "plots/OutputView.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "plots/ChannelPicker.hpp"
#include "plots/PlotStyle.hpp"

namespace {
QCPItemStraightLine* makeMarker(QCustomPlot* plot) {
    auto* m = new QCPItemStraightLine(plot);
    m->setPen(QPen(QColor(255, 160, 0), 2));
    m->setVisible(false);
    m->setSelectable(false);
    return m;
}
}  // namespace

OutputView::OutputView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_placeholder = new QLabel(this);
    m_placeholder->setObjectName("outputPlaceholder");
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(24);
    m_stack->addWidget(m_placeholder);

    auto* page = new QWidget(this);
    auto* pv = new QVBoxLayout(page);
    pv->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_title = new QLabel(page);
    QFont bf = m_title->font();
    bf.setBold(true);
    m_title->setFont(bf);
    m_picker = new ChannelPicker(tr("Lines:"), kMaxLines, 3, page);
    m_picker->setObjectName("outputChannelPicker");
    m_picker->setMaximumWidth(300);
    m_picker->setToolTip(tr("Channels drawn as lines below the heatmap"));
    top->addWidget(m_title, 1, Qt::AlignTop);
    top->addWidget(m_picker);
    pv->addLayout(top);
    auto* split = new QSplitter(Qt::Vertical, page);
    m_heatmap = new QCustomPlot(split);
    m_heatmap->setObjectName("outputHeatmap");
    m_heatmap->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_heatmap->axisRect()->setRangeZoom(Qt::Horizontal);
    m_heatmap->axisRect()->setRangeDrag(Qt::Horizontal);
    m_heatmap->xAxis->setLabel(tr("step"));
    m_heatmap->yAxis->setLabel(tr("channel"));
    m_map = new QCPColorMap(m_heatmap->xAxis, m_heatmap->yAxis);
    m_scale = new QCPColorScale(m_heatmap);
    m_heatmap->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel(tr("value"));
    // Order matters: the scale first, then the gradient, then the data range.
    m_map->setColorScale(m_scale);
    m_map->setGradient(QCPColorGradient::gpPolar);
    m_map->setInterpolate(false);
    auto* group = new QCPMarginGroup(m_heatmap);
    m_heatmap->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);

    m_lines = new QCustomPlot(split);
    m_lines->setObjectName("outputLines");
    m_lines->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_lines->axisRect()->setRangeZoom(Qt::Horizontal);
    m_lines->xAxis->setLabel(tr("step"));
    m_lines->legend->setVisible(true);
    m_lines->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    // Zooming one zooms the other: they share the step axis.
    connect(m_heatmap->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_lines->xAxis,
            [this](const QCPRange& r) {
                if (m_lines->xAxis->range() != r) {
                    m_lines->xAxis->setRange(r);
                    m_lines->replot(QCustomPlot::rpQueuedReplot);
                }
            });
    connect(m_lines->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_heatmap->xAxis,
            [this](const QCPRange& r) {
                if (m_heatmap->xAxis->range() != r) {
                    m_heatmap->xAxis->setRange(r);
                    m_heatmap->replot(QCustomPlot::rpQueuedReplot);
                }
            });
    split->addWidget(m_heatmap);
    split->addWidget(m_lines);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    pv->addWidget(split, 1);
    m_stack->addWidget(page);

    m_mark1 = makeMarker(m_heatmap);
    m_mark2 = makeMarker(m_lines);
    auto click = [this](QCustomPlot* plot, QMouseEvent* e) {
        if (!hasOutput() || e->button() != Qt::LeftButton) return;
        clickStep(std::llround(plot->xAxis->pixelToCoord(e->position().x())));
    };
    connect(m_heatmap, &QCustomPlot::mouseDoubleClick, this, [=, this](QMouseEvent* e) { click(m_heatmap, e); });
    connect(m_lines, &QCustomPlot::mouseDoubleClick, this, [=, this](QMouseEvent* e) { click(m_lines, e); });
    connect(m_heatmap, &QCustomPlot::mouseRelease, this, [=, this](QMouseEvent* e) {
        // A click, not the end of a drag.
        if (e->button() == Qt::LeftButton && m_heatmap->property("pressX").toInt() == int(e->position().x()))
            click(m_heatmap, e);
    });
    connect(m_heatmap, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* e) { m_heatmap->setProperty("pressX", int(e->position().x())); });
    connect(m_picker, &ChannelPicker::selectionChanged, this, [this] {
        m_chosen = m_picker->drawn();
        if (m_output.empty()) return;
        fillLines();
        m_lines->replot();
    });

    PlotStyle::apply(m_heatmap);
    PlotStyle::apply(m_lines);
    setUnavailable(tr("Select a layer in the shape flow to see its output for the selected sequence."));
}

void OutputView::restyle() {
    PlotStyle::apply(m_heatmap);
    PlotStyle::apply(m_lines);
}

void OutputView::setUnavailable(const QString& reason) {
    m_output = SeriesMatrix{};
    m_placeholder->setText(reason);
    m_stack->setCurrentIndex(0);
}

bool OutputView::hasOutput() const { return m_stack->currentIndex() == 1 && !m_output.empty(); }
QString OutputView::placeholderText() const { return m_stack->currentIndex() == 0 ? m_placeholder->text() : QString(); }

void OutputView::setOutput(const SeriesMatrix& output) {
    if (output.empty()) {
        setUnavailable(tr("The output is empty."));
        return;
    }
    const bool sameShape = output.rows == m_output.rows && output.steps == m_output.steps;
    m_output = output;
    m_title->setText(tr("%1 — %2 channels × %3 steps").arg(output.title).arg(output.rows).arg(output.steps));
    m_stack->setCurrentIndex(1);
    // The chosen lines stay while the layer has them (the picker drops the others).
    {
        QSignalBlocker block(m_picker);
        m_picker->setChannels(output.rows);
        if (m_picker->drawn() != m_chosen) m_picker->setSelection(m_chosen);
    }
    m_chosen = m_picker->drawn();
    fillHeatmap();
    fillLines();
    if (!sameShape) {
        m_heatmap->xAxis->setRange(-0.5, double(output.steps) - 0.5);
        m_heatmap->yAxis->setRange(-0.5, double(output.rows) - 0.5);
        m_marked = -1;
        m_mark1->setVisible(false);
        m_mark2->setVisible(false);
    }
    m_heatmap->replot();
    m_lines->replot();
}

void OutputView::fillHeatmap() {
    const int64_t steps = m_output.steps;
    const int rows = m_output.rows;
    const int64_t bin = (steps + kMaxColumns - 1) / kMaxColumns;
    const int cols = int((steps + bin - 1) / bin);
    m_map->data()->setSize(cols, rows);
    m_map->data()->setRange(QCPRange(0, double(std::max<int64_t>(1, steps - 1))), QCPRange(0, std::max(1, rows - 1)));
    double maxAbs = 0, lo = INFINITY, hi = -INFINITY;
    for (int r = 0; r < rows; ++r) {
        for (int x = 0; x < cols; ++x) {
            double sum = 0;
            int n = 0;
            for (int64_t t = x * bin; t < std::min(steps, (x + 1) * bin); ++t) {
                const float v = m_output.at(r, t);
                if (std::isfinite(v)) sum += v, ++n;
            }
            const double v = n ? sum / n : std::nan("");
            m_map->data()->setCell(x, r, v);
            if (n) {
                maxAbs = std::max(maxAbs, std::fabs(v));
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    if (lo < 0) {
        // Signed data: a diverging scale centred on zero.
        m_map->setGradient(QCPColorGradient::gpPolar);
        m_map->setDataRange(QCPRange(-std::max(maxAbs, 1e-9), std::max(maxAbs, 1e-9)));
    } else {
        m_map->setGradient(QCPColorGradient::gpThermal);
        m_map->setDataRange(QCPRange(std::isfinite(lo) ? lo : 0, std::isfinite(hi) && hi > lo ? hi : lo + 1));
    }
}

void OutputView::fillLines() {
    m_lines->clearGraphs();
    m_lines->legend->setVisible(m_chosen.size() <= kMaxLegend);
    const int64_t steps = m_output.steps;
    const int64_t bucket = steps > 8000 ? (steps + 3999) / 4000 : 1;
    for (int c : m_chosen) {
        QCPGraph* g = m_lines->addGraph();
        g->setPen(QPen(PlotStyle::channelColor(c), 1.3));
        g->setName(tr("ch %1").arg(c));
        QVector<double> keys, values;
        for (int64_t b = 0; b < steps; b += bucket) {
            if (bucket == 1) {
                keys << double(b);
                values << double(m_output.at(c, b));
                continue;
            }
            float vmin = m_output.at(c, b), vmax = vmin;
            for (int64_t t = b; t < std::min(steps, b + bucket); ++t)
                vmin = std::min(vmin, m_output.at(c, t)), vmax = std::max(vmax, m_output.at(c, t));
            keys << double(b) << double(b);
            values << double(vmin) << double(vmax);
        }
        g->setData(keys, values, true);
    }
    m_lines->xAxis->setRange(m_heatmap->xAxis->range());
    m_lines->yAxis->rescale();
    m_lines->yAxis->scaleRange(1.1);
}

void OutputView::setPlottedChannels(const QList<int>& channels) {
    if (m_output.empty()) {
        // Kept for the next output: the picker learns its channel count from it.
        m_chosen.clear();
        for (int c : channels)
            if (c >= 0 && !m_chosen.contains(c)) m_chosen << c;
        std::sort(m_chosen.begin(), m_chosen.end());
        return;
    }
    m_picker->setSelection(channels);  // emits selectionChanged when it differs, which redraws
    m_chosen = m_picker->drawn();
    fillLines();
    m_lines->replot();
}

void OutputView::clickStep(int64_t step) {
    if (m_output.empty()) return;
    step = std::clamp<int64_t>(step, 0, m_output.steps - 1);
    m_marked = step;
    for (auto* m : {m_mark1, m_mark2}) {
        m->point1->setCoords(double(step), 0);
        m->point2->setCoords(double(step), 1);
        m->setVisible(true);
    }
    m_heatmap->replot(QCustomPlot::rpQueuedReplot);
    m_lines->replot(QCustomPlot::rpQueuedReplot);
    emit stepClicked(step);
}
