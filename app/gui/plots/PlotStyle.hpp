// One look for every QCustomPlot: palette-aware axes and a channel colour cycle.
#pragma once

#include <QColor>

class QCustomPlot;

namespace PlotStyle {
void apply(QCustomPlot* plot);
QColor channelColor(int channel);
}  // namespace PlotStyle
