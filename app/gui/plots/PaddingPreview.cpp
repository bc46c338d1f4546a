#include "plots/PaddingPreview.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "plots/PlotStyle.hpp"

namespace {

QCustomPlot* makePlot(QWidget* parent, const QString& name) {
    auto* p = new QCustomPlot(parent);
    p->setObjectName(name);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->axisRect()->setRangeZoom(Qt::Horizontal);
    p->axisRect()->setRangeDrag(Qt::Horizontal);
    p->plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(p, QString(), QFont(p->font().family(), p->font().pointSize(), QFont::Bold));
    title->setObjectName("title");
    p->plotLayout()->addElement(0, 0, title);
    p->setMinimumSize(160, 110);
    return p;
}

QCPTextElement* titleOf(QCustomPlot* p) { return qobject_cast<QCPTextElement*>(p->plotLayout()->element(0, 0)); }

void showNotice(QCustomPlot* p, const QString& text) {
    auto* t = new QCPItemText(p);
    t->position->setType(QCPItemPosition::ptAxisRectRatio);
    t->position->setCoords(0.5, 0.5);
    t->setText(text);
    t->setColor(QColor(130, 130, 130));
    t->setSelectable(false);
}

}  // namespace

PaddingPreview::PaddingPreview(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* controls = new QGridLayout;
    controls->setHorizontalSpacing(6);
    controls->setVerticalSpacing(2);
    m_maxlen = new QSpinBox(this);
    m_maxlen->setObjectName("padMaxlen");
    m_maxlen->setRange(0, 100000000);
    m_maxlen->setSpecialValueText(tr("longest"));
    m_maxlen->setKeyboardTracking(false);
    m_maxlen->setToolTip(tr("pad_sequences maxlen: every sequence is padded or truncated to this many steps "
                            "(\"longest\": the longest in the data)"));
    m_padding = new QComboBox(this);
    m_padding->setObjectName("padSide");
    m_padding->addItems({"post", "pre"});
    m_padding->setToolTip(tr("Where padding goes: pre (before the data, Keras' default) or post (after)"));
    m_truncating = new QComboBox(this);
    m_truncating->setObjectName("truncSide");
    m_truncating->addItems({"post", "pre"});
    m_truncating->setToolTip(tr("Which end is cut from sequences longer than maxlen"));
    m_value = new QDoubleSpinBox(this);
    m_value->setObjectName("padValue");
    m_value->setRange(-1e6, 1e6);
    m_value->setDecimals(3);
    m_value->setKeyboardTracking(false);
    m_value->setToolTip(tr("The value padded steps hold (and the Masking layer's mask_value)"));
    m_convMode = new QComboBox(this);
    m_convMode->setObjectName("convPadMode");
    m_convMode->addItems({"zeros", "reflect", "replicate", "circular"});
    m_convMode->setToolTip(tr("How the convolution reads past the ends (PyTorch padding_mode)"));
    m_masking = new QCheckBox(tr("Masking"), this);
    m_masking->setObjectName("maskingCheck");
    m_masking->setToolTip(tr("Keras Masking(mask_value=value): steps whose channels all equal the value are "
                             "skipped by layers that support masks"));
    auto pair = [this, controls](int row, int col, const QString& label, QWidget* w) {
        controls->addWidget(new QLabel(label, this), row, col, Qt::AlignRight);
        controls->addWidget(w, row, col + 1);
    };
    pair(0, 0, tr("maxlen"), m_maxlen);
    pair(0, 2, tr("padding"), m_padding);
    pair(0, 4, tr("truncating"), m_truncating);
    pair(1, 0, tr("value"), m_value);
    pair(1, 2, tr("conv padding"), m_convMode);
    controls->addWidget(m_masking, 1, 5);
    m_channel = new QSpinBox(this);
    m_channel->setObjectName("padChannel");
    m_channel->setRange(0, 0);
    m_channel->setToolTip(tr("The output channel the unpadded, padded and masked plots show"));
    pair(2, 0, tr("channel"), m_channel);
    controls->setColumnStretch(6, 1);
    layout->addLayout(controls);
    m_note = new QLabel(this);
    m_note->setObjectName("paddingNote");
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::RichText);
    layout->addWidget(m_note);

    auto* grid = new QGridLayout;
    m_unpadded = makePlot(this, "padUnpadded");
    m_padded = makePlot(this, "padPadded");
    m_masked = makePlot(this, "padMasked");
    m_difference = makePlot(this, "padDifference");
    m_contamination = makePlot(this, "padContamination");
    grid->addWidget(m_unpadded, 0, 0);
    grid->addWidget(m_padded, 0, 1);
    grid->addWidget(m_masked, 0, 2);
    grid->addWidget(m_difference, 1, 0);
    grid->addWidget(m_contamination, 1, 1, 1, 2);
    layout->addLayout(grid, 1);

    auto emitChange = [this] { emit settingsChanged(settings()); };
    connect(m_maxlen, &QSpinBox::valueChanged, this, emitChange);
    connect(m_padding, &QComboBox::activated, this, emitChange);
    connect(m_truncating, &QComboBox::activated, this, emitChange);
    connect(m_value, &QDoubleSpinBox::valueChanged, this, emitChange);
    connect(m_convMode, &QComboBox::activated, this, emitChange);
    connect(m_masking, &QCheckBox::toggled, this, emitChange);
    connect(m_channel, &QSpinBox::valueChanged, this, [this] { render(); });
    restyle();
    setUnavailable(tr("Open a data file to preview padding and masking on a real sequence."));
}

QList<QCustomPlot*> PaddingPreview::plots() const {
    return {m_unpadded, m_padded, m_masked, m_difference, m_contamination};
}

void PaddingPreview::restyle() {
    for (QCustomPlot* p : plots()) {
        PlotStyle::apply(p);
        if (auto* t = titleOf(p)) t->setTextColor(palette().color(QPalette::Text));
    }
}

PaddingSettings PaddingPreview::settings() const {
    PaddingSettings s;
    s.maxlen = m_maxlen->value();
    s.padding = m_padding->currentText();
    s.truncating = m_truncating->currentText();
    s.value = m_value->value();
    s.convPaddingMode = m_convMode->currentText();
    s.masking = m_masking->isChecked();
    return s;
}

void PaddingPreview::setSettings(const PaddingSettings& s) {
    QSignalBlocker b1(m_maxlen), b2(m_padding), b3(m_truncating), b4(m_value), b5(m_convMode), b6(m_masking);
    m_maxlen->setValue(s.maxlen);
    m_padding->setCurrentText(s.padding);
    m_truncating->setCurrentText(s.truncating);
    m_value->setValue(s.value);
    m_convMode->setCurrentText(s.convPaddingMode);
    m_masking->setChecked(s.masking);
}

QString PaddingPreview::noteText() const { return m_note->text(); }

int PaddingPreview::channel() const { return m_channel->value(); }

void PaddingPreview::setChannel(int channel) { m_channel->setValue(channel); }

void PaddingPreview::showMatrix(QCustomPlot* plot, const SeriesMatrix& m, const QString& title, bool available,
                                int64_t offset) {
    plot->clearGraphs();
    plot->clearItems();
    plot->clearPlottables();
    titleOf(plot)->setText(title);
    if (!available || m.empty()) {
        showNotice(plot, available ? tr("not available") : tr("forward pass not available"));
        plot->replot();
        return;
    }
    const int c = std::clamp(m_channel->value(), 0, m.rows - 1);
    QCPGraph* g = plot->addGraph();
    g->setPen(QPen(PlotStyle::channelColor(c), 1.2));
    if (m.steps == 1) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
    QVector<double> keys, values;
    const int64_t stride = std::max<int64_t>(1, m.steps / 4000);
    for (int64_t t = 0; t < m.steps; t += stride) {
        keys << double(t + offset);  // aligned with the padded run's steps
        values << double(m.at(c, t));
    }
    g->setData(keys, values, true);
    plot->rescaleAxes();
    plot->yAxis->scaleRange(1.15);
    plot->replot();
}

void PaddingPreview::setUnavailable(const QString& reason) {
    m_result = PaddingResult{};
    m_note->setText(reason.toHtmlEscaped());
    for (QCustomPlot* p : plots()) {
        p->clearGraphs();
        p->clearItems();
        p->clearPlottables();
        titleOf(p)->setText(QString());
        p->replot();
    }
}

void PaddingPreview::setResult(const PaddingResult& r) {
    m_result = r;
    const int rows = std::max({r.padded.rows, r.unpadded.rows, 1});
    {
        QSignalBlocker block(m_channel);
        m_channel->setRange(0, rows - 1);
    }
    render();
}

void PaddingPreview::render() {
    const PaddingResult& r = m_result;
    QStringList note;
    note << tr("<b>%1</b>: %2 padded steps").arg(r.layerTitle.toHtmlEscaped()).arg(r.paddedSteps);
    if (settings().masking) {
        note << tr("%1 masked").arg(r.maskedSteps);
        if (r.maskedRealSteps > 0)
            note << tr("<span style='color:#d32f2f'>%1 real steps equal the pad value in every channel and are "
                       "masked too</span>").arg(r.maskedRealSteps);
    }
    if (!r.unavailableReason.isEmpty()) note << r.unavailableReason.toHtmlEscaped();
    m_note->setText(note.join(" · "));
    const int c = m_channel->value();
    showMatrix(m_unpadded, r.unpadded, tr("Unpadded, ch %1 (shifted by %2)").arg(c).arg(r.unpaddedOffset),
               r.outputsAvailable, r.unpaddedOffset);
    showMatrix(m_padded, r.padded, tr("%1, ch %2").arg(r.padded.title.isEmpty() ? tr("Padded") : r.padded.title).arg(c),
               r.outputsAvailable, 0);
    showMatrix(m_masked, r.paddedMasked,
               tr("%1, ch %2").arg(r.paddedMasked.title.isEmpty() ? tr("Padded + masked") : r.paddedMasked.title).arg(c),
               r.outputsAvailable, 0);
    // Every plot shows the padded run's steps.
    const double steps = double(std::max<int64_t>({r.padded.steps, r.contamination.steps, 1}));
    for (QCustomPlot* p : {m_unpadded, m_padded, m_masked}) {
        p->xAxis->setRange(-0.5, steps - 0.5);
        p->replot();
    }

    // Per-step difference: the padded and the padded + masked run against the unpadded one.
    m_difference->clearGraphs();
    m_difference->clearItems();
    titleOf(m_difference)->setText(tr("max |run − unpadded| per step: padded (red), masked (blue)"));
    if (r.outputsAvailable && (!r.difference.empty() || !r.differenceMasked.empty())) {
        double top = 0;
        auto addDiff = [&](const std::vector<double>& d, const QColor& color, bool fill) {
            QCPGraph* g = m_difference->addGraph();
            g->setPen(QPen(color, 1.2));
            if (fill) g->setBrush(QColor(color.red(), color.green(), color.blue(), 40));
            if (d.size() == 1) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
            QVector<double> keys, values;
            for (size_t t = 0; t < d.size(); ++t) {
                keys << double(t);
                values << d[t];  // NaN: no unpadded counterpart, a gap
                if (std::isfinite(d[t])) top = std::max(top, d[t]);
            }
            g->setData(keys, values, true);
        };
        addDiff(r.difference, QColor(0xd3, 0x2f, 0x2f), true);
        addDiff(r.differenceMasked, QColor(0x19, 0x76, 0xd2), false);
        m_difference->xAxis->setRange(-0.5, steps - 0.5);
        m_difference->yAxis->setRange(-0.05 * std::max(top, 1e-3), 1.1 * std::max(top, 1e-3));
    } else {
        showNotice(m_difference, tr("forward pass not available"));
    }
    m_difference->replot();

    // The engine's contamination map for the layer.
    m_contamination->clearPlottables();
    m_contamination->clearItems();
    titleOf(m_contamination)->setText(r.contamination.title.isEmpty() ? tr("Contamination") : r.contamination.title);
    if (!r.contamination.empty()) {
        auto* map = new QCPColorMap(m_contamination->xAxis, m_contamination->yAxis);
        map->data()->setSize(int(std::min<int64_t>(r.contamination.steps, 4096)), r.contamination.rows);
        const int cols = map->data()->keySize();
        map->data()->setRange(QCPRange(0, double(std::max<int64_t>(1, r.contamination.steps - 1))),
                              QCPRange(0, std::max(1, r.contamination.rows - 1)));
        for (int row = 0; row < r.contamination.rows; ++row)
            for (int x = 0; x < cols; ++x) {
                const int64_t t = int64_t(double(x) * double(r.contamination.steps) / double(cols));
                map->data()->setCell(x, row, r.contamination.at(row, t));
            }
        map->setInterpolate(false);
        // White: clean; red: the output step reads padding.
        QCPColorGradient g;
        g.setColorStopAt(0, QColor(0xf5, 0xf7, 0xfa));
        g.setColorStopAt(0.5, QColor(0xf4, 0xa2, 0x61));
        g.setColorStopAt(1, QColor(0xc6, 0x28, 0x28));
        map->setGradient(g);
        map->setDataRange(QCPRange(0, 1));
        m_contamination->xAxis->setRange(-0.5, double(r.contamination.steps) - 0.5);
        m_contamination->yAxis->setRange(-0.5, double(r.contamination.rows) - 0.5);
        m_contamination->yAxis->setTickLabels(r.contamination.rows > 1);
        m_contamination->xAxis->setLabel(r.contaminationEstimated ? tr("output step (receptive-field estimate)")
                                                                  : tr("output step"));
    }
    m_contamination->replot();
}
