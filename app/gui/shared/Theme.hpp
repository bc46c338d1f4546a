// Folder shared/: what every GUI feature folder may use (palette, background jobs); it includes no other GUI folder.
// Light and dark palettes (View > Theme), on the Fusion style so both look the
// same everywhere. Plots follow through PlotStyle.
#pragma once

#include <QColor>
#include <QString>

namespace Theme {
enum class Mode { Light, Dark };
void apply(Mode mode);
Mode current();
QString name(Mode mode);
Mode fromName(const QString& name);

// Semantic colours used by the shape flow and the plots.
QColor failing();       // the failing layer and axis
QColor passing();       // a stack whose shapes all fit
QColor roleColor(const QString& role);  // batch, length, channels, features
QColor muted();         // steps not reached
QColor panelBase();     // box background
QColor text();
}  // namespace Theme
