#include "plots/PlotExporter.hpp"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace PlotExporter {

QString fileFilter() {
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QString save(QCustomPlot* plot, const QString& path) {
    if (!plot) return QObject::tr("There is no plot to save.");
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = std::max(plot->width(), 640);
    const int h = std::max(plot->height(), 360);
    bool ok = false;
    if (suffix == "png") {
        ok = plot->savePng(path, w, h, 2.0);
    } else if (suffix == "pdf") {
        ok = plot->savePdf(path, w, h);
    } else if (suffix == "svg") {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(QStringLiteral("ConvScope plot"));
        QCPPainter painter;
        if (painter.begin(&generator)) {
            plot->toPainter(&painter, w, h);
            painter.end();
            ok = QFileInfo(path).size() > 0;
        }
    } else {
        return QObject::tr("Cannot save a plot as \"%1\": choose a .png, .svg or .pdf file name.").arg(path);
    }
    return ok ? QString() : QObject::tr("Could not write %1.").arg(path);
}

void saveInteractively(QWidget* parent, QCustomPlot* plot, const QString& suggestedName) {
    QString selected;
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export plot"), suggestedName, fileFilter(),
                                                      &selected);
    if (path.isEmpty()) return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty()) {
        if (selected.contains("svg")) target += ".svg";
        else if (selected.contains("pdf")) target += ".pdf";
        else target += ".png";
    }
    const QString error = save(plot, target);
    if (!error.isEmpty()) QMessageBox::warning(parent, QObject::tr("Export plot"), error);
}

}  // namespace PlotExporter
