// Saves any plot as PNG, SVG or PDF, by the file's suffix.
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace PlotExporter {
// Empty on success, else a readable reason.
QString save(QCustomPlot* plot, const QString& path);
// Asks for a file name and saves; reports errors in a message box.
void saveInteractively(QWidget* parent, QCustomPlot* plot, const QString& suggestedName);
QString fileFilter();
}  // namespace PlotExporter
