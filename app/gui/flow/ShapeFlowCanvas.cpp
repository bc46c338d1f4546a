#include "flow/ShapeFlowCanvas.hpp"

#include <QApplication>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include "stack/LayerParamForm.hpp"
#include "shared/Theme.hpp"

namespace {
constexpr qreal kMargin = 16;
constexpr qreal kCardWidth = 260;
constexpr qreal kRowHeight = 54;
constexpr qreal kGap = 14;
constexpr qreal kArrow = 40;
constexpr qreal kCellWidth = 88;
constexpr qreal kCellGap = 4;
constexpr qreal kInfoWidth = 240;

QString roleName(convscope::AxisRole r) { return QString::fromStdString(std::string(convscope::to_string(r))); }

QColor blend(const QColor& a, const QColor& b, qreal t) {
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}
}  // namespace

ShapeFlowCanvas::ShapeFlowCanvas(QWidget* parent) : QWidget(parent) {
    setObjectName("shapeFlowCanvas");
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_placeholder = tr("Open a data file or a layer stack to see the shapes flow through it.");
}

void ShapeFlowCanvas::setTrace(const convscope::Trace* trace, const convscope::Stack* stack, bool justFixed) {
    m_stack = stack ? *stack : convscope::Stack{};
    if (trace) m_trace = *trace;
    else m_trace.reset();
    m_justFixed = justFixed;
    if (m_trace && m_selected >= int(m_trace->steps.size())) m_selected = -1;
    relayout();
    update();
}

void ShapeFlowCanvas::setPlaceholder(const QString& text) {
    m_placeholder = text;
    m_trace.reset();
    relayout();
    update();
}

void ShapeFlowCanvas::setSelectedStep(int step) {
    if (m_selected == step) return;
    m_selected = step;
    update();
}

const ShapeFlowCanvas::AxisCell* ShapeFlowCanvas::cell(int step, int axis) const {
    for (const auto& c : m_cells)
        if (c.step == step && c.axis == axis) return &c;
    return nullptr;
}

QSize ShapeFlowCanvas::sizeHint() const {
    const int rows = m_trace ? int(m_trace->steps.size()) : 1;
    return QSize(int(kMargin * 2 + kCardWidth + kArrow + 4 * (kCellWidth + kCellGap) + kInfoWidth),
                 int(kMargin * 2 + rows * kRowHeight + (rows - 1) * kGap));
}

void ShapeFlowCanvas::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    relayout();
}

QString ShapeFlowCanvas::cardTitle(const convscope::TraceStep& s) const {
    if (s.index < 0) return tr("Input");
    return QStringLiteral("%1  ·  %2").arg(QString::fromStdString(s.type), QString::fromStdString(s.name));
}

QString ShapeFlowCanvas::cardParams(const convscope::TraceStep& s) const {
    if (s.index < 0) {
        if (m_trace && m_trace->input.ragged())
            return tr("ragged: %1 sequences of different lengths").arg(m_trace->input.lengths.size());
        return s.declared ? tr("declared %1").arg(QString::fromStdString(s.declared->to_string()))
                          : tr("the data as fed to the stack");
    }
    if (!s.enabled) return tr("disabled — skipped");
    QStringList parts;
    if (s.index < int64_t(m_stack.layers.size())) {
        const auto& params = m_stack.layers[size_t(s.index)].params;
        for (auto it = params.begin(); it != params.end(); ++it)
            parts << QStringLiteral("%1=%2").arg(QString::fromStdString(it.key()), LayerParamForm::valueText(it.value()));
    }
    return parts.isEmpty() ? tr("defaults") : parts.join(", ");
}

QString ShapeFlowCanvas::cardStats(const convscope::TraceStep& s) const {
    if (s.index < 0) return QString();
    QStringList parts;
    const auto& rf = s.receptive_field;
    if (rf.whole) parts << tr("RF whole sequence");
    else
        parts << (rf.steps == 1 ? tr("RF 1 step") : tr("RF %1 steps").arg(rf.steps)) +
                     (rf.jump != 1 ? tr(" · jump %1").arg(rf.jump) : QString());
    parts << tr("%1 params").arg(QLocale().toString(qlonglong(s.params)));
    if (!s.warnings.empty()) parts << QStringLiteral("⚠ %1").arg(QString::fromStdString(s.warnings.front().message));
    return parts.join(QStringLiteral("  ·  "));
}

void ShapeFlowCanvas::relayout() {
    m_cells.clear();
    m_rows.clear();
    m_failingFeeder = -1;
    if (!m_trace) {
        setMinimumSize(400, 200);
        return;
    }
    const auto& steps = m_trace->steps;
    const int failing = m_trace->failing_step ? int(*m_trace->failing_step) : -1;
    const convscope::ShapeError* error = m_trace->error();
    if (failing == 0 && steps[0].out) {
        // The input itself is at fault (it contradicts the declared shape).
        m_failingFeeder = 0;
    } else if (failing > 0) {
        // The tensor the failing layer receives is the output of the nearest step
        // before it that produced one.
        for (int i = failing - 1; i >= 0; --i)
            if (steps[size_t(i)].out) {
                m_failingFeeder = i;
                break;
            }
    }
    qreal y = kMargin;
    const qreal tensorX = kMargin + kCardWidth + kArrow;
    for (int i = 0; i < int(steps.size()); ++i) {
        const auto& s = steps[size_t(i)];
        Row row;
        row.step = i;
        row.card = QRectF(kMargin, y, kCardWidth, kRowHeight);
        row.failing = i == failing;
        row.reached = failing < 0 || i <= failing;
        const auto* tensor = s.out ? &*s.out : nullptr;
        const int rank = tensor ? int(tensor->rank()) : (s.in ? int(s.in->rank()) : 3);
        row.tensor = QRectF(tensorX, y, std::max(1, rank) * (kCellWidth + kCellGap) + kCellGap, kRowHeight);
        if (tensor) {
            for (int a = 0; a < tensor->rank(); ++a) {
                AxisCell c;
                c.step = i;
                c.axis = a;
                c.role = a < int(tensor->roles.size()) ? roleName(tensor->roles[size_t(a)]) : QStringLiteral("axis");
                const int64_t d = tensor->shape[a];
                c.value = d == convscope::kAnyDim ? QStringLiteral("None") : QString::number(d);
                c.rect = QRectF(tensorX + kCellGap + a * (kCellWidth + kCellGap), y + 15, kCellWidth, kRowHeight - 19);
                c.fill = Theme::roleColor(c.role);
                if (i == m_failingFeeder && error && error->axis == a) {
                    c.failing = true;
                    c.fill = Theme::failing();
                }
                if (!row.reached) c.fill = blend(c.fill, Theme::panelBase(), 0.6);
                m_cells.push_back(c);
            }
        }
        m_rows.push_back(row);
        y += kRowHeight + kGap;
    }
    const QSize hint = sizeHint();
    setMinimumSize(hint.width() - int(kInfoWidth), hint.height());
}

void ShapeFlowCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QColor text = pal.color(QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.65);

    if (!m_trace) {
        p.setPen(dim);
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        p.setFont(f);
        p.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const bool ok = m_trace->ok();
    const QColor good = Theme::passing();
    const QColor bad = Theme::failing();
    const QColor muted = Theme::muted();
    const auto& steps = m_trace->steps;
    QFont base = font();
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.88);
    QFont mono("DejaVu Sans Mono");
    mono.setPointSizeF(base.pointSizeF() * 0.85);
    QFont big = base;
    big.setPointSizeF(base.pointSizeF() * 1.1);
    big.setBold(true);

    for (size_t r = 0; r < m_rows.size(); ++r) {
        const Row& row = m_rows[r];
        const auto& s = steps[size_t(row.step)];
        const bool selected = row.step == m_selected;
        const QColor accent = row.failing ? bad : (!row.reached ? muted : (ok ? good : pal.color(QPalette::Mid)));

        // Connector from this card down to the next one.
        if (r + 1 < m_rows.size()) {
            const qreal x = row.card.left() + 22;
            const qreal y0 = row.card.bottom();
            const qreal y1 = m_rows[r + 1].card.top();
            const bool intoFailing = m_rows[r + 1].failing;
            QColor c = intoFailing ? bad : (m_rows[r + 1].reached ? text : muted);
            p.setPen(QPen(c, intoFailing ? 2.5 : 1.5));
            p.drawLine(QPointF(x, y0), QPointF(x, y1 - 2));
            QPainterPath head;
            head.moveTo(x - 5, y1 - 8);
            head.lineTo(x + 5, y1 - 8);
            head.lineTo(x, y1 - 1);
            head.closeSubpath();
            p.fillPath(head, c);
        }

        // The layer's card.
        QColor cardFill = pal.color(QPalette::AlternateBase);
        if (row.failing) cardFill = blend(pal.color(QPalette::Base), bad, 0.12);
        p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : accent, selected ? 2.5 : (row.failing ? 2.5 : 1)));
        p.setBrush(cardFill);
        p.drawRoundedRect(row.card, 6, 6);
        p.fillRect(QRectF(row.card.left(), row.card.top() + 3, 4, row.card.height() - 6), accent);
        const QRectF inner = row.card.adjusted(12, 3, -8, -3);
        p.setFont(bold);
        p.setPen(row.failing ? bad : (row.reached ? text : muted));
        QString title = cardTitle(s);
        if (row.failing) title = QStringLiteral("✗ ") + title;
        p.drawText(QRectF(inner.left(), inner.top(), inner.width(), 17), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(title, Qt::ElideRight, int(inner.width())));
        p.setFont(small);
        p.setPen(row.reached ? dim : muted);
        p.drawText(QRectF(inner.left(), inner.top() + 17, inner.width(), 15), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(cardParams(s), Qt::ElideRight, int(inner.width())));
        const QString stats = cardStats(s);
        if (!stats.isEmpty()) {
            p.setPen(!s.warnings.empty() ? QColor(0xc7, 0x7c, 0x02) : (row.reached ? dim : muted));
            p.drawText(QRectF(inner.left(), inner.top() + 32, inner.width(), 15), Qt::AlignLeft | Qt::AlignVCenter,
                       p.fontMetrics().elidedText(stats, Qt::ElideRight, int(inner.width())));
        }

        // Arrow from card to tensor.
        const qreal ay = row.card.center().y();
        const QColor arrowColor = row.failing ? bad : (row.reached ? dim : muted);
        p.setPen(QPen(arrowColor, 1.5, row.failing ? Qt::DashLine : Qt::SolidLine));
        p.drawLine(QPointF(row.card.right() + 6, ay), QPointF(row.tensor.left() - 8, ay));
        QPainterPath head;
        head.moveTo(row.tensor.left() - 14, ay - 5);
        head.lineTo(row.tensor.left() - 14, ay + 5);
        head.lineTo(row.tensor.left() - 6, ay);
        head.closeSubpath();
        p.fillPath(head, arrowColor);

        // The tensor.
        if (s.out) {
            const QColor outline = row.step == m_failingFeeder ? bad : (ok ? good : pal.color(QPalette::Mid));
            p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : outline,
                          (ok && m_justFixed) || row.step == m_failingFeeder || selected ? 2.5 : 1.2));
            p.setBrush(pal.color(QPalette::Base));
            p.drawRoundedRect(row.tensor, 6, 6);
            p.setFont(small);
            p.setPen(dim);
            p.drawText(QRectF(row.tensor.left() + 8, row.tensor.top() + 1, row.tensor.width() - 12, 15),
                       Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(s.out->shape.to_string()));
        } else {
            p.setPen(QPen(row.failing ? bad : muted, 1.5, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(row.tensor, 6, 6);
            p.setFont(row.failing ? bold : small);
            p.setPen(row.failing ? bad : muted);
            const QString what = row.failing ? tr("no output: the layer cannot take its input")
                                             : (s.enabled ? tr("not reached") : tr("skipped"));
            p.drawText(row.tensor, Qt::AlignCenter, what);
        }

        // Length rule to the right of the tensor, when there is room.
        if (s.index >= 0 && !s.length_rule.empty() && row.tensor.right() + 16 + 200 < width()) {
            p.setFont(mono);
            p.setPen(row.reached ? dim : muted);
            const QRectF info(row.tensor.right() + 16, row.tensor.top(), width() - row.tensor.right() - 24,
                              row.tensor.height());
            p.drawText(info, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                       QString::fromStdString(s.length_rule));
        }
    }

    // Axis cells on top.
    for (const AxisCell& c : m_cells) {
        p.setPen(c.failing ? QPen(bad.darker(130), 2.5) : Qt::NoPen);
        p.setBrush(c.fill);
        p.drawRoundedRect(c.rect, 4, 4);
        const QColor ink = c.failing ? QColor(Qt::white) : (Theme::current() == Theme::Mode::Dark ? Qt::white : QColor(0x20, 0x22, 0x25));
        p.setPen(ink);
        p.setFont(small);
        p.drawText(QRectF(c.rect.left(), c.rect.top(), c.rect.width(), 13), Qt::AlignCenter,
                   c.failing ? QStringLiteral("✗ ") + c.role : c.role);
        p.setFont(big);
        p.drawText(QRectF(c.rect.left(), c.rect.top() + 12, c.rect.width(), c.rect.height() - 12), Qt::AlignCenter,
                   c.value);
    }
}

QString ShapeFlowCanvas::tooltipAt(const QPointF& pos) const {
    if (!m_trace) return {};
    for (const AxisCell& c : m_cells) {
        if (!c.rect.contains(pos)) continue;
        QString t = tr("axis %1 · %2 · %3").arg(c.axis).arg(c.role, c.value);
        if (c.failing && m_trace->error())
            t += "\n" + tr("The next layer expects %1 here but gets %2.")
                           .arg(QString::fromStdString(m_trace->error()->expected),
                                QString::fromStdString(m_trace->error()->actual));
        return t;
    }
    for (const Row& r : m_rows) {
        if (!r.card.contains(pos)) continue;
        const auto& s = m_trace->steps[size_t(r.step)];
        QStringList lines;
        lines << cardTitle(s) << cardParams(s);
        if (!s.length_rule.empty()) lines << QString::fromStdString(s.length_rule);
        if (s.error) lines << QString::fromStdString(s.error->explanation);
        for (const auto& w : s.warnings) lines << QStringLiteral("⚠ ") + QString::fromStdString(w.message);
        return lines.join('\n');
    }
    return {};
}

bool ShapeFlowCanvas::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const QString t = tooltipAt(he->pos());
        if (t.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(he->globalPos(), t, this);
        return true;
    }
    return QWidget::event(e);
}

void ShapeFlowCanvas::mousePressEvent(QMouseEvent* e) {
    for (const Row& r : m_rows) {
        if (r.card.contains(e->position()) || r.tensor.contains(e->position())) {
            setSelectedStep(r.step);
            emit stepClicked(r.step);
            return;
        }
    }
    QWidget::mousePressEvent(e);
}
